package dev.tether.internal;

import dev.tether.PortInUseException;
import dev.tether.PortRange;
import dev.tether.PortRequest;
import dev.tether.Ports;
import dev.tether.TetherException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out ports to sessions: a lease per port (in the registry when there is one, so every
 * supervisor on a home sees it) and, before a port is handed out, a check that it can really be
 * bound. A fixed port held by someone else fails naming the holder.
 */
public final class PortAllocator {
    /** Where leases live. */
    public interface Leases {
        /** Leases {@code port} to a session; false if it is leased already. */
        boolean tryLease(int port, String sessionId);

        void release(int port);

        /** The session holding a lease on {@code port}. */
        Optional<String> leasedTo(int port);
    }

    /** Leases kept in this JVM only (a supervisor without a registry). */
    public static final class InMemoryLeases implements Leases {
        private final Map<Integer, String> leases = new ConcurrentHashMap<>();

        @Override
        public boolean tryLease(int port, String sessionId) {
            return leases.putIfAbsent(port, sessionId) == null;
        }

        @Override
        public void release(int port) {
            leases.remove(port);
        }

        @Override
        public Optional<String> leasedTo(int port) {
            return Optional.ofNullable(leases.get(port));
        }
    }

    private final PortRange defaultRange;
    private final Leases leases;

    public PortAllocator(PortRange defaultRange, Leases leases) {
        this.defaultRange = defaultRange;
        this.leases = leases;
    }

    /**
     * Leases a port for a session.
     *
     * @throws PortInUseException for a fixed port that is leased or held
     * @throws TetherException when a range has no free port
     */
    public int allocate(String sessionId, PortRequest request) {
        return switch (request) {
            case PortRequest.Fixed(int port) -> {
                Optional<String> holder = leases.leasedTo(port);
                if (holder.isPresent()) {
                    throw new PortInUseException(port, Ports.owners(port), holder.get());
                }
                if (!Ports.isFree(port)) {
                    throw new PortInUseException(port, Ports.owners(port), null);
                }
                if (!leases.tryLease(port, sessionId)) {
                    throw new PortInUseException(port, Ports.owners(port), leases.leasedTo(port).orElse("another session"));
                }
                yield port;
            }
            case PortRequest.AnyIn(Optional<PortRange> asked) -> {
                PortRange range = asked.orElse(defaultRange);
                int offset = ThreadLocalRandom.current().nextInt(range.size());
                for (int i = 0; i < range.size(); i++) {
                    int port = range.first() + (offset + i) % range.size();
                    if (leases.leasedTo(port).isEmpty() && Ports.isFree(port) && leases.tryLease(port, sessionId)) {
                        yield port;
                    }
                }
                throw new TetherException("no free port in " + range + ": every port is leased or held;"
                        + " widen the range (port_range setting) or stop sessions");
            }
        };
    }

    public void release(int port) {
        leases.release(port);
    }
}
