package dev.tether.junit5;

import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import dev.tether.Session;
import dev.tether.Supervisor;
import dev.tether.TetherSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Services for tests: processes started before a test class's tests (or each test), in order,
 * each ready before the next, and stopped after them, newest first, with nothing left behind.
 *
 * <pre>{@code
 * @RegisterExtension
 * static TetherExtension services = TetherExtension.builder()
 *         .service("backend", ProcessSpec.of("sh", "-c", "exec python3 -m http.server \"$PORT\""),
 *                 PortRequest.any(), ReadinessProbe.http("/", Duration.ofSeconds(30)))
 *         .build();
 *
 * @Test void answers(@ServicePort("backend") int port) { ... }
 * }</pre>
 *
 * <p>Guarantee: after the tests, passed, failed or aborted, every service's whole process tree is
 * stopped (its grace period, then SIGKILL), then the extension checks that no process carries the
 * services' session markers and their ports can be bound again, and fails the class (or test)
 * naming whatever it found. A failed start stops the services started before it. If the test JVM
 * is told to exit (SIGINT, SIGTERM, System.exit) the supervisor's shutdown hook stops them; if it
 * is SIGKILLed, its guardian does. Limits: those of the supervisor's containment level.
 *
 * <p>Parameters it injects: {@link Services}, and {@link ServicePort}, {@link ServiceSession} or
 * {@link ServiceLog} annotated ones.
 */
public final class TetherExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {
    private static final String CLASS_KEY = "class";
    private static final String GROUP_KEY = "group";

    private final Optional<ServicesConfig> programmatic;

    /** The declarative form, registered by {@link Tether}: the services are the class's {@link TetherService} fields. */
    public TetherExtension() {
        this.programmatic = Optional.empty();
    }

    private TetherExtension(ServicesConfig config) {
        this.programmatic = Optional.of(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = store(context);
        if (store.get(CLASS_KEY) != null) {
            return; // a @Nested class: the enclosing class's services serve it
        }
        Class<?> testClass = context.getRequiredTestClass();
        ServicesConfig config = programmatic.orElseGet(() -> DeclaredServices.read(testClass));
        Supervisor supervisor = Supervisor.builder().settings(config.settings().orElseGet(TetherSettings::load)).open();
        ClassServices services = new ClassServices(context.getUniqueId(), testClass.getName(), config, supervisor);
        store.put(CLASS_KEY, services);
        if (config.lifecycle() == ServiceLifecycle.PER_CLASS) {
            ServiceGroup group = services.classGroup(context.getUniqueId());
            store.put(GROUP_KEY, group); // before starting: JUnit closes it even if the start fails half-way
            group.start();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ClassServices services = classServices(context);
        if (services.config().lifecycle() == ServiceLifecycle.PER_TEST) {
            ServiceGroup group = services.testGroup(context.getUniqueId(), context.getRequiredTestMethod().getName(),
                    context.getDisplayName());
            store(context).put(GROUP_KEY, group);
            group.start();
            return;
        }
        List<ServiceExitedException> ended = group(context).endedByThemselves("before " + context.getDisplayName());
        if (!ended.isEmpty()) {
            ended.subList(1, ended.size()).forEach(ended.getFirst()::addSuppressed);
            throw ended.getFirst();
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable error) throws Throwable {
        ServiceGroup group = store(context).get(GROUP_KEY, ServiceGroup.class);
        if (group != null) {
            group.endedByThemselves("during " + context.getDisplayName()).forEach(error::addSuppressed);
        }
        throw error;
    }

    /** Closes the test's own services; JUnit's store would too, but an explicit close keeps callback order. */
    @Override
    public void afterEach(ExtensionContext context) {
        ServiceGroup group = store(context).get(GROUP_KEY, ServiceGroup.class);
        if (group != null && group.ownedBy(context.getUniqueId())) {
            group.close();
        }
    }

    /** Closes the class's services, then its supervisor (both idempotent; the store closes them again, harmlessly). */
    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = store(context);
        ClassServices services = store.get(CLASS_KEY, ClassServices.class);
        if (services == null || !services.ownedBy(context.getUniqueId())) {
            return;
        }
        try {
            ServiceGroup group = store.get(GROUP_KEY, ServiceGroup.class);
            if (group != null && group.ownedBy(context.getUniqueId())) {
                group.close();
            }
        } finally {
            services.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        ClassServices services = store(context).get(CLASS_KEY, ClassServices.class);
        if (services == null) {
            return false;
        }
        return serviceName(parameter).map(services.config()::defines)
                .orElse(parameter.getParameter().getType() == Services.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ServiceGroup group = store(context).get(GROUP_KEY, ServiceGroup.class);
        if (group == null) {
            throw new ParameterResolutionException("the services of " + context.getRequiredTestClass().getName()
                    + " start per test: inject them into test methods or @BeforeEach/@AfterEach methods, not into"
                    + " the constructor or @BeforeAll");
        }
        Services services = group.services();
        Class<?> type = parameter.getParameter().getType();
        Optional<String> name = serviceName(parameter);
        if (name.isEmpty()) {
            return services;
        }
        if (parameter.isAnnotated(ServicePort.class)) {
            requireType(parameter, type == int.class || type == Integer.class, "@ServicePort", "int");
            return services.port(name.get());
        }
        if (parameter.isAnnotated(ServiceSession.class)) {
            requireType(parameter, type == Session.class, "@ServiceSession", "Session");
            return services.session(name.get());
        }
        requireType(parameter, type == Path.class, "@ServiceLog", "Path");
        return services.log(name.get());
    }

    private static Optional<String> serviceName(ParameterContext p) {
        return p.findAnnotation(ServicePort.class).map(ServicePort::value)
                .or(() -> p.findAnnotation(ServiceSession.class).map(ServiceSession::value))
                .or(() -> p.findAnnotation(ServiceLog.class).map(ServiceLog::value));
    }

    private static void requireType(ParameterContext p, boolean ok, String annotation, String expected) {
        if (!ok) {
            throw new ParameterResolutionException(annotation + " needs a parameter of type " + expected + ", but "
                    + p.getParameter() + " is a " + p.getParameter().getType().getName());
        }
    }

    private ClassServices classServices(ExtensionContext context) {
        ClassServices services = store(context).get(CLASS_KEY, ClassServices.class);
        if (services == null) {
            throw new ExtensionConfigurationException("the TetherExtension of " + context.getRequiredTestClass().getName()
                    + " was not set up before the tests: register it in a static field (@RegisterExtension static"
                    + " TetherExtension ...), so that it runs before all tests");
        }
        return services;
    }

    private ServiceGroup group(ExtensionContext context) {
        return Objects.requireNonNull(store(context).get(GROUP_KEY, ServiceGroup.class), "services of the test class");
    }

    /** One namespace per extension instance, so two registered extensions keep their services apart. */
    private ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(ExtensionContext.Namespace.create(TetherExtension.class, this));
    }

    /**
     * Builds a {@link TetherExtension}: services in start order, their lifecycle, where their logs
     * go, and the Tether settings of the supervisor running them.
     */
    public static final class Builder {
        private final List<ServiceSpec> services = new ArrayList<>();
        private ServiceLifecycle lifecycle = ServiceLifecycle.PER_CLASS;
        private Path logDirectory;
        private TetherSettings settings;

        private Builder() {}

        /** A service ready once started (or once its port, if its spec asks for one, accepts connections). */
        public Builder service(String name, ProcessSpec process) {
            return service(ServiceSpec.of(name, process));
        }

        /** A service ready when {@code ready} passes. */
        public Builder service(String name, ProcessSpec process, ReadinessProbe ready) {
            return service(ServiceSpec.of(name, process).withReady(ready));
        }

        /** A service given {@code port} (exported as {@code PORT}), ready when {@code ready} passes. */
        public Builder service(String name, ProcessSpec process, PortRequest port, ReadinessProbe ready) {
            return service(ServiceSpec.of(name, process).withPort(port).withReady(ready));
        }

        public Builder service(ServiceSpec service) {
            services.add(Objects.requireNonNull(service, "service"));
            return this;
        }

        /** Services once for the class (default) or afresh for each test. */
        public Builder lifecycle(ServiceLifecycle l) {
            this.lifecycle = Objects.requireNonNull(l, "lifecycle");
            return this;
        }

        /** Base directory of the log files (default {@code target/tether-services}); each class gets a subdirectory. */
        public Builder logDirectory(Path dir) {
            this.logDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Settings of the supervisor (default {@link TetherSettings#load()}). */
        public Builder settings(TetherSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /** Another Tether home (registry, session directories). */
        public Builder home(Path home) {
            this.settings = (settings != null ? settings : TetherSettings.load()).withHome(home.toAbsolutePath().normalize());
            return this;
        }

        /**
         * @throws dev.tether.InvalidSpecException when there is no service or a name is used twice
         */
        public TetherExtension build() {
            if (services.isEmpty()) {
                throw new dev.tether.InvalidSpecException("services", "add at least one with service(name, spec, ...)");
            }
            return new TetherExtension(new ServicesConfig(services, lifecycle, Optional.ofNullable(logDirectory),
                    Optional.ofNullable(settings)));
        }
    }
}
