package dev.tether;

import java.util.Objects;

/**
 * A session's main process could not be started. Nothing of it runs, and nothing was left
 * registered: its containment (cgroup) was removed again before this was thrown.
 */
public class SpawnException extends TetherException {
    private final ProcessSpec spec;
    private final int errno;
    private final String errnoName;

    public SpawnException(ProcessSpec spec, int errno, String errnoName, String reason) {
        super("cannot start " + spec.describeCommand() + ": " + reason + " (" + errnoName + ")");
        this.spec = Objects.requireNonNull(spec);
        this.errno = errno;
        this.errnoName = errnoName;
    }

    public SpawnException(ProcessSpec spec, String reason, Throwable cause) {
        super("cannot start " + spec.describeCommand() + ": " + reason, cause);
        this.spec = Objects.requireNonNull(spec);
        this.errno = 0;
        this.errnoName = "";
    }

    /** What was asked for. */
    public ProcessSpec spec() {
        return spec;
    }

    /** The error number from the system ({@code 0} when the failure was not an OS error). */
    public int errno() {
        return errno;
    }

    /** The symbolic name of {@link #errno()}, e.g. {@code ENOENT}; empty when there is none. */
    public String errnoName() {
        return errnoName;
    }
}
