package dev.tether.junit5;

import dev.tether.InvalidSpecException;
import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One service a test class needs: a name, the process to run, and how to tell it is ready.
 *
 * <p>The service's session is named after it, its inherited stdout and stderr go to its log file,
 * and every later service gets its port as {@link #portVariable() NAME_PORT} in the environment.
 * Without a probe, a service with a port is ready when a TCP connect to it succeeds
 * ({@link #DEFAULT_READY_TIMEOUT}); one without a port is ready once started.
 *
 * @param name    letters, digits, '.', '_' or '-', starting with a letter; names the log file too
 * @param process what to run; its port request, grace period and environment are kept
 * @param ready   the readiness probe to wait for, if any
 */
public record ServiceSpec(String name, ProcessSpec process, Optional<ReadinessProbe> ready) {
    /** How long the default TCP probe waits for a service with a port. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(ready, "ready");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidSpecException("service name", "must be 1..64 letters, digits, '.', '_' or '-', starting"
                    + " with a letter (it names the log file and the NAME_PORT variable), got '" + name + "'");
        }
    }

    /** A service that is ready as soon as it started (or when its port accepts connections, if it has one). */
    public static ServiceSpec of(String name, ProcessSpec process) {
        return new ServiceSpec(name, process, Optional.empty());
    }

    /** This service, waiting for {@code probe} before the next service starts. */
    public ServiceSpec withReady(ReadinessProbe probe) {
        return new ServiceSpec(name, process, Optional.of(probe));
    }

    /** This service, asking for a port (exported to it as {@code PORT} unless the spec names another variable). */
    public ServiceSpec withPort(PortRequest port) {
        return new ServiceSpec(name, process.toBuilder().port(port).build(), ready);
    }

    /** The probe waited for: the given one, else a TCP connect to the service's port, else none. */
    public Optional<ReadinessProbe> effectiveProbe() {
        if (ready.isPresent() || process.port().isEmpty()) {
            return ready;
        }
        return Optional.of(ReadinessProbe.tcp(DEFAULT_READY_TIMEOUT));
    }

    /** The variable later services find this one's port in: the name upper-cased, '.' and '-' as '_', plus {@code _PORT}. */
    public String portVariable() {
        return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + "_PORT";
    }
}
