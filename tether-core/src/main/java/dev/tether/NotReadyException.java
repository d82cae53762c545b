package dev.tether;

import java.util.List;

/**
 * A session did not become ready: its probe timed out, or its main process exited first. The
 * session is left as it is; the caller decides whether to stop it (the daemon and the JUnit
 * extension do). Carries the tail of the session's log where it goes to files.
 */
public class NotReadyException extends TetherException {
    private final String sessionId;
    private final String reason;
    private final List<String> logTail;

    public NotReadyException(String sessionId, String name, String reason, List<String> logTail) {
        super("session " + sessionId + " (" + name + ") is not ready: " + reason
                + (logTail.isEmpty() ? "" : "; last log lines:\n  " + String.join("\n  ", logTail)));
        this.sessionId = sessionId;
        this.reason = reason;
        this.logTail = List.copyOf(logTail);
    }

    public String sessionId() {
        return sessionId;
    }

    /** Why it is not ready (the probe's last failure, or that the main process ended), without the log tail. */
    public String reason() {
        return reason;
    }

    /** The last lines of the session's stdout/stderr files (empty when they do not go to files). */
    public List<String> logTail() {
        return logTail;
    }
}
