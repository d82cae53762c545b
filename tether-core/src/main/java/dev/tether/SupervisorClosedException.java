package dev.tether;

/** A session was asked of a supervisor that is closing or closed. Nothing was started. */
public class SupervisorClosedException extends TetherException {
    public SupervisorClosedException(String instanceId) {
        super("supervisor " + instanceId + " is closed: open a new Supervisor to start sessions");
    }
}
