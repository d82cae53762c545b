package dev.tether.spi;

import dev.tether.ProcessId;
import java.util.Optional;

/**
 * A dead man's switch for one supervisor instance: a process outside every supervised tree that
 * kills what is left of the instance's sessions when the supervisor dies without closing
 * (SIGKILL, OOM kill).
 */
public interface Guardian {
    /** No guardian (the portable backend, or guardians disabled). */
    Guardian NONE = new Guardian() {
        @Override
        public void track(ProcessId main) {}

        @Override
        public void untrack(ProcessId main) {}

        @Override
        public Optional<ProcessId> process() {
            return Optional.empty();
        }

        @Override
        public void dismiss() {}
    };

    /** A session's main process to kill (with its session and process group) if the supervisor dies. */
    void track(ProcessId main);

    /** That session ended. */
    void untrack(ProcessId main);

    /** The guardian process now, if there is one and it lives. */
    Optional<ProcessId> process();

    /** The supervisor closed normally: the guardian exits and touches nothing. */
    void dismiss();
}
