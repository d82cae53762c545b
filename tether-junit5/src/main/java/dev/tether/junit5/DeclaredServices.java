package dev.tether.junit5;

import dev.tether.Durations;
import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import dev.tether.TetherException;
import dev.tether.TetherSettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/** Reads a {@link Tether} class's configuration and its {@link TetherService} fields, superclasses' first. */
final class DeclaredServices {
    private DeclaredServices() {}

    static ServicesConfig read(Class<?> testClass) {
        Tether tether = AnnotationSupport.findAnnotation(testClass, Tether.class).orElse(null);
        List<Field> fields = serviceFields(testClass);
        if (fields.isEmpty()) {
            throw new ExtensionConfigurationException(testClass.getName() + " uses the Tether extension but declares"
                    + " no @TetherService static field (a ProcessSpec or ServiceSpec), and was given no services by"
                    + " TetherExtension.builder()");
        }
        List<ServiceSpec> services = new ArrayList<>();
        for (Field f : fields) {
            services.add(service(f));
        }
        Optional<Path> logs = tether == null || tether.logDirectory().isEmpty() ? Optional.empty()
                : Optional.of(Path.of(tether.logDirectory()));
        Optional<TetherSettings> settings = tether == null || tether.home().isEmpty() ? Optional.empty()
                : Optional.of(TetherSettings.load().withHome(Path.of(tether.home()).toAbsolutePath().normalize()));
        return new ServicesConfig(services, tether == null ? ServiceLifecycle.PER_CLASS : tether.lifecycle(), logs, settings);
    }

    /** Annotated fields in declaration order, superclasses first, then stably by {@code @Order}. */
    private static List<Field> serviceFields(Class<?> testClass) {
        Deque<Class<?>> hierarchy = new ArrayDeque<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.push(c);
        }
        List<Field> out = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(TetherService.class)) {
                    out.add(f);
                }
            }
        }
        out.sort(Comparator.comparingInt(f -> f.isAnnotationPresent(Order.class) ? f.getAnnotation(Order.class).value()
                : Order.DEFAULT));
        return out;
    }

    private static ServiceSpec service(Field f) {
        TetherService a = f.getAnnotation(TetherService.class);
        String where = "@TetherService field " + f.getDeclaringClass().getSimpleName() + "." + f.getName();
        if (!Modifier.isStatic(f.getModifiers())) {
            throw new ExtensionConfigurationException(where + " must be static: services start before the test instance exists");
        }
        Object value;
        try {
            f.setAccessible(true);
            value = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException(where + " cannot be read: " + e.getMessage(), e);
        }
        try {
            ServiceSpec spec = switch (value) {
                case ProcessSpec p -> ServiceSpec.of(a.name().isEmpty() ? f.getName() : a.name(), p);
                case ServiceSpec s when a.name().isEmpty() || a.name().equals(s.name()) -> s;
                case ServiceSpec s -> new ServiceSpec(a.name(), s.process(), s.ready());
                case null -> throw new ExtensionConfigurationException(where + " is null");
                default -> throw new ExtensionConfigurationException(where + " must be a ProcessSpec or a ServiceSpec, not "
                        + value.getClass().getName());
            };
            return configure(spec, a);
        } catch (TetherException | IllegalArgumentException e) {
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
    }

    private static ServiceSpec configure(ServiceSpec spec, TetherService a) {
        Duration timeout = Durations.parse(a.timeout());
        if (!a.port().isEmpty()) {
            spec = spec.withPort(a.port().equals("any") ? PortRequest.any() : PortRequest.fixed(parsePort(a.port())));
        }
        if (!a.ready().isEmpty()) {
            spec = spec.withReady(ReadinessProbe.parse(a.ready(), timeout));
        } else if (spec.ready().isEmpty() && spec.process().port().isPresent()) {
            spec = spec.withReady(ReadinessProbe.tcp(timeout));
        }
        return spec;
    }

    private static int parsePort(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be 'any' or a number 1..65535, got '" + text + "'");
        }
    }
}
