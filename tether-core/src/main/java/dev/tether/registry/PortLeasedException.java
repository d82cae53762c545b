package dev.tether.registry;

import dev.tether.TetherException;
import java.util.Objects;

/** A port could not be leased because a live session already holds it; nothing was recorded. */
public class PortLeasedException extends TetherException {
    private final PortLease holder;

    public PortLeasedException(PortLease holder) {
        super("port " + holder.port() + " is already leased to session " + holder.sessionId()
                + " (instance " + holder.instanceId() + ") since " + holder.leasedAt()
                + ": stop that session, or choose another port");
        this.holder = Objects.requireNonNull(holder);
    }

    /** The lease that holds the port. */
    public PortLease holder() {
        return holder;
    }
}
