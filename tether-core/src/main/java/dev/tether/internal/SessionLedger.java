package dev.tether.internal;

import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.StopReport;
import dev.tether.registry.InstanceRecord;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionIntent;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A supervisor's bookkeeping in the registry (when it has one): its instance row, each session's
 * intent before anything is created and the main process's identity once spawned (or, for a
 * session that reserves nothing, both in one row after the spawn), and the outcome.
 * Port leases are reserved in this JVM while a start is under way and made durable with the
 * intent, in the same transaction.
 */
public final class SessionLedger implements PortAllocator.Leases {
    private static final Logger log = LoggerFactory.getLogger(SessionLedger.class);

    private final Optional<Registry> registry;
    private final String instanceId;
    private final Map<Integer, String> reserved = new ConcurrentHashMap<>();

    public SessionLedger(Optional<Registry> registry, String instanceId) {
        this.registry = registry;
        this.instanceId = instanceId;
    }

    public Optional<Registry> registry() {
        return registry;
    }

    public void recordInstance() {
        registry.ifPresent(r -> r.recordInstance(new InstanceRecord(instanceId, ProcessId.current(), hostName(),
                System.getProperty("user.name", "?"), Instant.now(), Optional.empty())));
    }

    public void endInstance() {
        registry.ifPresent(r -> {
            try {
                r.markInstanceEnded(instanceId, Instant.now());
            } catch (RuntimeException e) {
                log.warn("cannot record the end of instance {}: {}", instanceId, e.getMessage());
            }
        });
    }

    /** Records what is about to be started; throws (and nothing may be started) if it cannot. */
    public void intent(SessionIntent intent) {
        registry.ifPresent(r -> r.insertSessionIntent(intent));
    }

    /**
     * Records a session that runs already, in one write (see {@link Registry#insertRunningSession});
     * throws if it cannot, and then the caller must stop what it started.
     */
    public void runningWithoutIntent(SessionIntent intent, ProcessId main) {
        registry.ifPresent(r -> r.insertRunningSession(intent, main, Instant.now()));
    }

    /** The spawn failed: the intent and its lease go. */
    public void abandoned(String sessionId) {
        registry.ifPresent(r -> {
            try {
                r.deleteSessionIntent(sessionId);
            } catch (RuntimeException e) {
                log.warn("cannot remove the intent of session {} (reconciliation will close it): {}", sessionId, e.getMessage());
            }
        });
    }

    public void running(String sessionId, ProcessId main) {
        registry.ifPresent(r -> {
            try {
                r.markSessionRunning(sessionId, main, Instant.now());
            } catch (RuntimeException e) {
                log.error("session {} runs but the registry could not record it (reconciliation will find it by its marker): {}",
                        sessionId, e.getMessage());
            }
        });
    }

    public void ended(String sessionId, SessionState state, StopReport report) {
        registry.ifPresent(r -> {
            try {
                r.markSessionEnded(sessionId, state, report, Instant.now());
            } catch (RuntimeException e) {
                log.error("session {} ended but the registry could not record it (reconciliation will correct it): {}",
                        sessionId, e.getMessage());
            }
        });
    }

    @Override
    public boolean tryLease(int port, String sessionId) {
        return leasedTo(port).isEmpty() && reserved.putIfAbsent(port, sessionId) == null;
    }

    @Override
    public void release(int port) {
        reserved.remove(port);
    }

    @Override
    public Optional<String> leasedTo(int port) {
        String mine = reserved.get(port);
        if (mine != null) {
            return Optional.of(mine);
        }
        return registry.flatMap(r -> r.portLease(port)).map(l -> l.sessionId());
    }

    private static String hostName() {
        try {
            java.nio.file.Path kernel = java.nio.file.Path.of("/proc/sys/kernel/hostname");
            if (java.nio.file.Files.isReadable(kernel)) {
                return java.nio.file.Files.readString(kernel).strip();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
