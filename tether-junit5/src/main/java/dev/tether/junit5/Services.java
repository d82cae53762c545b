package dev.tether.junit5;

import dev.tether.Session;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running services of a {@link TetherExtension}, as a test sees them: inject a parameter of
 * this type into a test method, {@code @BeforeEach}, {@code @BeforeAll} or (per-class services) the
 * test class's constructor. Valid while the services run; they stop after the tests.
 */
public final class Services {
    private final Map<String, RunningService> byName = new LinkedHashMap<>();

    Services(List<RunningService> running) {
        running.forEach(r -> byName.put(r.name(), r));
    }

    /** The service names, in start order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The service's TCP port. */
    public int port(String name) {
        return get(name).session().port().orElseThrow(() -> new IllegalArgumentException(
                "service '" + name + "' has no port: give its ProcessSpec a port(PortRequest.any()) or a fixed one"));
    }

    /** {@code http://127.0.0.1:PORT}, the service's base address. */
    public URI uri(String name) {
        return URI.create("http://127.0.0.1:" + port(name));
    }

    /** The session running the service: its pid, members, resource usage; stopping it early is allowed. */
    public Session session(String name) {
        return get(name).session();
    }

    /** The file the service's stdout and stderr go to. */
    public Path log(String name) {
        return get(name).log().orElseThrow(() -> new IllegalArgumentException(
                "service '" + name + "' has no log file: its ProcessSpec sends stdout and stderr elsewhere"));
    }

    RunningService get(String name) {
        RunningService r = byName.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no service named '" + name + "'; the services are " + byName.keySet());
        }
        return r;
    }

    @Override
    public String toString() {
        return "Services" + byName.keySet();
    }
}
