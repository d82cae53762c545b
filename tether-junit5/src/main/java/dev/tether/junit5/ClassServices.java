package dev.tether.junit5;

import dev.tether.Supervisor;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What a test class holds for its services: their configuration and the supervisor that runs
 * them (with its guardian and shutdown hook, which stop them if the test JVM dies or is told to
 * exit). Closing it closes the supervisor, after the services' own group has closed.
 */
final class ClassServices implements AutoCloseable {
    private final String contextId;
    private final String testClass;
    private final ServicesConfig config;
    private final Supervisor supervisor;
    private final Set<String> logDirectories = new HashSet<>(); // guarded by itself

    ClassServices(String contextId, String testClass, ServicesConfig config, Supervisor supervisor) {
        this.contextId = contextId;
        this.testClass = testClass;
        this.config = config;
        this.supervisor = supervisor;
    }

    boolean ownedBy(String uniqueId) {
        return contextId.equals(uniqueId);
    }

    ServicesConfig config() {
        return config;
    }

    /** The services of the whole class, logging to {@code <base>/<test class>/}. */
    ServiceGroup classGroup(String uniqueId) {
        return new ServiceGroup(supervisor, config.services(), config.logBase().resolve(testClass), "test class " + testClass,
                uniqueId);
    }

    /** The services of one test, logging to {@code <base>/<test class>/<method>[-n]/}. */
    ServiceGroup testGroup(String uniqueId, String method, String displayName) {
        String dir = method;
        synchronized (logDirectories) {
            for (int n = 2; !logDirectories.add(dir); n++) {
                dir = method + "-" + n;
            }
        }
        return new ServiceGroup(supervisor, config.services(), config.logBase().resolve(testClass).resolve(dir),
                "test " + testClass + " " + displayName, uniqueId);
    }

    @Override
    public void close() {
        supervisor.close();
    }
}
