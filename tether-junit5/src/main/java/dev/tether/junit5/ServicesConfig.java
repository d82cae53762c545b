package dev.tether.junit5;

import dev.tether.InvalidSpecException;
import dev.tether.TetherSettings;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a {@link TetherExtension} runs, from its builder or from {@link Tether} and {@link TetherService} annotations. */
record ServicesConfig(List<ServiceSpec> services, ServiceLifecycle lifecycle, Optional<Path> logDirectory,
                      Optional<TetherSettings> settings) {
    /** Where logs go unless told otherwise: {@code target/tether-services} under the working directory (the module's, under Maven). */
    static final Path DEFAULT_LOG_DIRECTORY = Path.of("target", "tether-services");

    ServicesConfig {
        services = List.copyOf(services);
        Set<String> names = new HashSet<>();
        for (ServiceSpec s : services) {
            if (!names.add(s.name())) {
                throw new InvalidSpecException("service name", "'" + s.name() + "' is used twice; each service needs its own name");
            }
        }
    }

    boolean defines(String name) {
        return services.stream().anyMatch(s -> s.name().equals(name));
    }

    Path logBase() {
        return logDirectory.orElse(DEFAULT_LOG_DIRECTORY).toAbsolutePath().normalize();
    }
}
