package dev.tether;

/**
 * How a session's main process ended.
 * {@link Exited} carries the status it passed to {@code exit}; {@link Signalled} the signal that
 * killed it; {@link SpawnFailed} means it never ran; {@link Unknown} means it ended where no one
 * could see how (e.g. while its supervisor was dead).
 */
public sealed interface Exit {

    /** The shell convention for this outcome: the exit code, 128 + signal number, or 127 when it never ran. */
    int shellStatus();

    /** Whether the process exited by itself with status 0. */
    default boolean isSuccess() {
        return this instanceof Exited(int code) && code == 0;
    }

    /** The process called {@code exit(code)} or returned from {@code main}. */
    record Exited(int code) implements Exit {
        public Exited {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("exit code must be 0..255, got " + code);
            }
        }

        @Override
        public int shellStatus() {
            return code;
        }

        @Override
        public String toString() {
            return "exited " + code;
        }
    }

    /** The process was terminated by a signal. */
    record Signalled(Signal signal, boolean coreDumped) implements Exit {
        public Signalled(Signal signal) {
            this(signal, false);
        }

        @Override
        public int shellStatus() {
            return 128 + signal.number();
        }

        @Override
        public String toString() {
            return "killed by " + signal + (coreDumped ? " (core dumped)" : "");
        }
    }

    /** The process could not be started; nothing ran. */
    record SpawnFailed(TetherException cause) implements Exit {
        /** Shell status of a command that could not run. */
        public static final int SHELL_STATUS = 127;

        @Override
        public int shellStatus() {
            return SHELL_STATUS;
        }

        @Override
        public String toString() {
            return "spawn failed: " + cause.getMessage();
        }
    }

    /** The process ended, but its status could not be observed (its supervisor was not there to reap it). */
    record Unknown(String why) implements Exit {
        /** Shell status used when the real one is unknown. */
        public static final int SHELL_STATUS = 255;

        @Override
        public int shellStatus() {
            return SHELL_STATUS;
        }

        @Override
        public String toString() {
            return "ended, status unknown: " + why;
        }
    }
}
