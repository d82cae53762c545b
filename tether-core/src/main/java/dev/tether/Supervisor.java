package dev.tether;

import dev.tether.internal.Ids;
import dev.tether.internal.Platforms;
import dev.tether.internal.SpawnPreflight;
import dev.tether.spi.Guardian;
import dev.tether.spi.Platform;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import dev.tether.spi.SpawnRequest;
import dev.tether.spi.SpawnedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts process trees as {@link Session}s and stops every one of them when it closes.
 *
 * <p>Guarantee: {@link #close()} (and, unless disabled, JVM shutdown on normal exit, SIGINT,
 * SIGTERM or SIGHUP) stops every session this supervisor started, each with its grace period,
 * and returns once nothing of them lives. Limits: what survives a SIGKILL of this JVM is left to
 * the guardian and to reconciliation; the containment level in force bounds what is found.
 */
public final class Supervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    private final String instanceId = Ids.next();
    private final Platform platform;
    private final Map<String, Session> sessions = new LinkedHashMap<>(); // guarded by lock
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Thread shutdownHook;
    private final Guardian guardian;
    private boolean closed; // guarded by lock

    private Supervisor(Builder b) {
        this.platform = Platforms.select(b.containment);
        this.guardian = b.guardian ? platform.startGuardian(instanceId) : Guardian.NONE;
        if (b.shutdownHook) {
            shutdownHook = Thread.ofPlatform().name("tether-shutdown-" + instanceId).unstarted(this::closeOnShutdown);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /** A supervisor with the strongest containment this machine gives. */
    public static Supervisor open() {
        return builder().open();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** This supervisor's instance id, also {@code TETHER_INSTANCE} in every member's environment. */
    public String instanceId() {
        return instanceId;
    }

    /** The containment level every session of this supervisor gets. */
    public Containment containment() {
        return platform.containment();
    }

    /**
     * Starts a session. On failure nothing runs and nothing stays registered.
     *
     * @throws SpawnException naming the command and why it could not start
     * @throws SupervisorClosedException after {@link #close()}
     */
    public Session start(ProcessSpec spec) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new SupervisorClosedException(instanceId);
            }
            String id = Ids.next();
            Map<String, String> env = spec.resolveEnvironment(System.getenv());
            env.put(ProcessSpec.SESSION_MARKER, id);
            env.put(ProcessSpec.INSTANCE_MARKER, instanceId);
            Path dir = SpawnPreflight.directory(spec);
            Path executable = SpawnPreflight.executable(spec, dir, env);
            SpawnPreflight.redirects(spec);
            SessionScope scope = platform.createScope(new ScopeKey(instanceId, id));
            SpawnedProcess process;
            try {
                process = platform.spawn(new SpawnRequest(spec, executable, env, dir, scope));
            } catch (RuntimeException e) {
                scope.release();
                throw e;
            }
            scope.bind(process.id());
            guardian.track(process.id());
            Session session = new Session(id, spec, platform, scope, process, this::ended);
            synchronized (sessions) {
                if (!session.state().isTerminal()) {
                    sessions.put(id, session);
                }
            }
            log.debug("started session {} ({}) pid {} in {}", id, spec.name(), process.id().pid(), scope.describe());
            return session;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The sessions of this supervisor that have not ended yet, oldest first. */
    public List<Session> sessions() {
        synchronized (sessions) {
            return List.copyOf(sessions.values());
        }
    }

    /** A session of this supervisor that has not ended yet. */
    public Optional<Session> session(String id) {
        synchronized (sessions) {
            return Optional.ofNullable(sessions.get(id));
        }
    }

    private void ended(Session s) {
        synchronized (sessions) {
            sessions.remove(s.id());
        }
        guardian.untrack(s.processId());
    }

    /** The guardian process watching this supervisor, if one runs. */
    public Optional<ProcessId> guardian() {
        return guardian.process();
    }

    /**
     * Stops every session (concurrently, each with its own grace period) and returns once nothing
     * of them lives. Idempotent; later {@link #start} calls fail.
     */
    @Override
    public void close() {
        closeWithin(null);
    }

    private void closeWithin(Duration graceCap) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
        List<CompletableFuture<StopReport>> stops = new ArrayList<>();
        for (Session s : sessions()) {
            Duration grace = s.spec().stopPolicy().grace();
            if (graceCap != null && grace.compareTo(graceCap) > 0) {
                grace = graceCap;
            }
            stops.add(s.beginStop(grace, StopReason.SUPERVISOR_CLOSED));
        }
        for (CompletableFuture<StopReport> f : stops) {
            try {
                StopReport r = f.join();
                if (!r.clean()) {
                    log.error("supervisor {}: a session left {} survivor(s)", instanceId, r.survivors());
                }
            } catch (RuntimeException e) {
                log.error("supervisor {}: stopping a session failed", instanceId, e);
            }
        }
        platform.releaseInstance(instanceId);
        guardian.dismiss();
        if (shutdownHook != null && !Thread.currentThread().equals(shutdownHook)) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    private void closeOnShutdown() {
        closeWithin(null);
    }

    @Override
    public String toString() {
        return "Supervisor[" + instanceId + " " + platform.containment() + "]";
    }

    /** Settings for a {@link Supervisor}. */
    public static final class Builder {
        private Optional<Containment> containment = Optional.empty();
        private boolean shutdownHook = true;
        private boolean guardian = true;

        private Builder() {}

        /**
         * Whether a guardian process kills this supervisor's sessions if the JVM dies without
         * closing it (SIGKILL, OOM kill). Default true; without one, only reconciliation cleans up.
         */
        public Builder guardian(boolean enabled) {
            this.guardian = enabled;
            return this;
        }

        /** Insists on one containment level; {@link #open()} fails if the machine cannot give it. */
        public Builder containment(Containment level) {
            this.containment = Optional.of(level);
            return this;
        }

        /** Whether JVM shutdown (normal exit, SIGINT, SIGTERM, SIGHUP) closes the supervisor. Default true. */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        public Supervisor open() {
            return new Supervisor(this);
        }
    }
}
