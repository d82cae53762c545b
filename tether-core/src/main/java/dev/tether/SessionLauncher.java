package dev.tether;

import dev.tether.internal.PortAllocator;
import dev.tether.internal.SessionDirectories;
import dev.tether.internal.SessionLedger;
import dev.tether.internal.StopAlgorithm;
import dev.tether.registry.PortLeasedException;
import dev.tether.registry.SessionIntent;
import dev.tether.spi.Guardian;
import dev.tether.spi.Platform;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import dev.tether.spi.SpawnRequest;
import dev.tether.spi.SpawnedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one session in the order that lets a crash at any instant be reconciled: the intent
 * first (naming the marker, cgroup, port and directory), then the directory, the cgroup and the
 * spawn; and undoes all of it when any step fails. A session that reserves nothing (no port, no
 * directory) and whose processes carry a findable marker is recorded in one write after the
 * spawn instead, and killed if that write fails.
 */
final class SessionLauncher {
    private static final Logger log = LoggerFactory.getLogger(SessionLauncher.class);

    private final String instanceId;
    private final Platform platform;
    private final PortAllocator ports;
    private final SessionDirectories directories;
    private final SessionLedger ledger;
    private final Guardian guardian;

    SessionLauncher(String instanceId, Platform platform, PortAllocator ports, SessionDirectories directories,
                    SessionLedger ledger, Guardian guardian) {
        this.instanceId = instanceId;
        this.platform = platform;
        this.ports = ports;
        this.directories = directories;
        this.ledger = ledger;
        this.guardian = guardian;
    }

    /**
     * Records the intent, then creates what it names (directory, cgroup) and spawns; on any
     * failure undoes all of it, so nothing runs and nothing stays registered.
     */
    Session launch(String id, ProcessSpec spec, Map<String, String> env, Path dir, Path executable,
                   BiConsumer<Session, StopReport> onEnded) {
        ScopeKey key = new ScopeKey(instanceId, id);
        OptionalInt port = OptionalInt.empty();
        Optional<Path> sessionDir = Optional.empty();
        boolean intentRecorded = false;
        boolean dirCreated = false;
        SessionScope scope = null;
        SpawnedProcess process;
        SessionIntent intent;
        boolean oneWrite = recordableInOneWrite(spec);
        try {
            if (spec.port().isPresent()) {
                port = OptionalInt.of(ports.allocate(id, spec.port().get()));
                env.put(spec.portVariable(), Integer.toString(port.getAsInt()));
            }
            if (spec.sessionDirectory().isPresent()) {
                sessionDir = Optional.of(directories.plan(id, spec.sessionDirectory().get()));
                env.put(ProcessSpec.SESSION_DIR_VARIABLE, sessionDir.get().toString());
            }
            intent = new SessionIntent(id, instanceId, spec.name(), spec.argv(), dir, spec.tags(), key.markerEntry(),
                    port, sessionDir, platform.cgroupPath(key), Instant.now());
            if (!oneWrite) {
                ledger.intent(intent);
                intentRecorded = true;
            }
            if (sessionDir.isPresent()) {
                directories.create(sessionDir.get());
                dirCreated = true;
            }
            scope = platform.createScope(key);
            process = platform.spawn(new SpawnRequest(spec, executable, env, dir, scope));
        } catch (PortLeasedException e) {
            undo(scope, port, dirCreated ? sessionDir : Optional.empty(), intentRecorded ? id : null);
            throw new PortInUseException(e.holder().port(), Ports.owners(e.holder().port()), e.holder().sessionId());
        } catch (RuntimeException e) {
            undo(scope, port, dirCreated ? sessionDir : Optional.empty(), intentRecorded ? id : null);
            throw e;
        }
        scope.bind(process.id());
        guardian.track(process.id());
        if (oneWrite) {
            try {
                ledger.runningWithoutIntent(intent, process.id());
            } catch (RuntimeException e) {
                stopUnrecorded(scope, process, e);
                throw e;
            }
        }
        // Only now may its end be recorded: the Session reacts to the main process's exit.
        Session session = new Session(id, spec, platform, scope, process, port, sessionDir, onEnded);
        if (!oneWrite) {
            ledger.running(id, process.id());
        }
        log.debug("started session {} ({}) pid {} in {}", id, spec.name(), process.id().pid(), scope.describe());
        return session;
    }

    /**
     * Whether a start can be recorded in one write after the spawn instead of an intent before it
     * and the main process after: when it reserves nothing another start could take meanwhile (no
     * port, no directory) and its processes can be found by their marker (every level but
     * PORTABLE), so a crash between spawn and row leaves them to the guardian and reconciliation.
     */
    private boolean recordableInOneWrite(ProcessSpec spec) {
        return spec.port().isEmpty() && spec.sessionDirectory().isEmpty() && platform.containment() != Containment.PORTABLE;
    }

    /** The row of a session that runs could not be written: it is killed, so nothing unrecorded runs. */
    private void stopUnrecorded(SessionScope scope, SpawnedProcess process, RuntimeException failure) {
        try {
            StopAlgorithm.Outcome o = StopAlgorithm.run(scope, Signal.KILL, new StopAlgorithm.Deadline(Duration.ZERO));
            if (o.survivors() == 0) {
                scope.release();
            } else {
                failure.addSuppressed(new TetherException(o.survivors() + " process(es) of the unrecorded session "
                        + scope.describe() + " survived SIGKILL"));
            }
            guardian.untrack(process.id());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void undo(SessionScope scope, OptionalInt port, Optional<Path> createdDir, String recordedIntent) {
        if (scope != null) {
            scope.release();
        }
        createdDir.ifPresent(directories::remove);
        port.ifPresent(ports::release);
        if (recordedIntent != null) {
            ledger.abandoned(recordedIntent);
        }
    }
}
