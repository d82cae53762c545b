package dev.tether;

import java.time.Duration;
import java.util.Objects;

/**
 * How a session is stopped: {@code signal} to every member, up to {@code grace} for all of them
 * to exit, then SIGKILL to whatever remains (repeated until nothing remains).
 * Defaults: SIGTERM and 10 seconds, as supervisord and Docker.
 */
public record StopPolicy(Signal signal, Duration grace) {
    /** Grace period when none is given: 10 seconds. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    public static final StopPolicy DEFAULT = new StopPolicy(Signal.TERM, DEFAULT_GRACE);

    public StopPolicy {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new InvalidSpecException("grace", "must not be negative, got " + grace);
        }
        if (signal.equals(Signal.STOP)) {
            throw new InvalidSpecException("signal", "SIGSTOP cannot stop a process; use TERM, INT, HUP or QUIT");
        }
    }

    public static StopPolicy graceful(Duration grace) {
        return new StopPolicy(Signal.TERM, grace);
    }

    public StopPolicy withGrace(Duration newGrace) {
        return new StopPolicy(signal, newGrace);
    }

    public StopPolicy withSignal(Signal newSignal) {
        return new StopPolicy(newSignal, grace);
    }
}
