package dev.tether;

import dev.tether.internal.CleanupStack;
import dev.tether.internal.Ids;
import dev.tether.internal.Platforms;
import dev.tether.internal.PortAllocator;
import dev.tether.internal.SessionDirectories;
import dev.tether.internal.SpawnPreflight;
import dev.tether.spi.Guardian;
import dev.tether.spi.Platform;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import dev.tether.spi.SpawnRequest;
import dev.tether.spi.SpawnedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
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
    /** How long one registered resource's cleanup may take before close moves on. */
    private static final Duration RESOURCE_TIMEOUT = Duration.ofSeconds(10);

    private final String instanceId = Ids.next();
    private final Platform platform;
    private final Map<String, Session> sessions = new LinkedHashMap<>(); // guarded by itself
    private final CleanupStack owned = new CleanupStack();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TetherSettings settings;
    private final PortAllocator ports;
    private final SessionDirectories directories;
    private final Thread shutdownHook;
    private final Guardian guardian;
    private boolean closed; // guarded by lock

    private Supervisor(Builder b) {
        this.settings = b.settings != null ? b.settings : TetherSettings.load();
        this.platform = Platforms.select(b.containment);
        this.ports = new PortAllocator(settings.portRange(), new PortAllocator.InMemoryLeases());
        this.directories = new SessionDirectories(settings.sessionsDir());
        this.guardian = b.guardian ? platform.startGuardian(instanceId) : Guardian.NONE;
        if (b.shutdownHook) {
            shutdownHook = Thread.ofPlatform().name("tether-shutdown-" + instanceId).unstarted(this::closeOnShutdown);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
        if (b.closeOnUncaughtException) {
            Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
            Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
                log.error("uncaught exception on thread {}: closing supervisor {}", thread.getName(), instanceId, error);
                close();
                if (previous != null) {
                    previous.uncaughtException(thread, error);
                }
            });
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
            OptionalInt port = OptionalInt.empty();
            Optional<Path> sessionDir = Optional.empty();
            SessionScope scope = null;
            SpawnedProcess process;
            try {
                if (spec.port().isPresent()) {
                    port = OptionalInt.of(ports.allocate(id, spec.port().get()));
                    env.put(spec.portVariable(), Integer.toString(port.getAsInt()));
                }
                if (spec.sessionDirectory().isPresent()) {
                    sessionDir = Optional.of(directories.create(id, spec.sessionDirectory().get()));
                    env.put(ProcessSpec.SESSION_DIR_VARIABLE, sessionDir.get().toString());
                }
                scope = platform.createScope(new ScopeKey(instanceId, id));
                process = platform.spawn(new SpawnRequest(spec, executable, env, dir, scope));
            } catch (RuntimeException e) {
                if (scope != null) {
                    scope.release();
                }
                port.ifPresent(ports::release);
                sessionDir.ifPresent(directories::remove);
                throw e;
            }
            scope.bind(process.id());
            guardian.track(process.id());
            Session session = new Session(id, spec, platform, scope, process, port, sessionDir, this::ended);
            synchronized (sessions) {
                if (!session.state().isTerminal()) {
                    sessions.put(id, session);
                    owned.push(session);
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
            owned.remove(s);
        }
        guardian.untrack(s.processId());
        s.port().ifPresent(ports::release);
        s.directory().ifPresent(d -> {
            try {
                directories.remove(d);
            } catch (TetherException e) {
                log.warn("session {}: {}", s.id(), e.getMessage());
            }
        });
    }

    /** The guardian process watching this supervisor, if one runs. */
    public Optional<ProcessId> guardian() {
        return guardian.process();
    }

    /**
     * Registers a resource to clean up when this supervisor closes, after everything registered
     * later (LIFO), exactly once, however many threads close it at once.
     *
     * @return {@code resource}, for chaining
     * @throws SupervisorClosedException if the supervisor is closing; {@code cleanup} was not run
     */
    public <T> T register(String name, T resource, Consumer<? super T> cleanup) {
        Objects.requireNonNull(cleanup, "cleanup");
        if (!owned.push(name, () -> cleanup.accept(resource))) {
            throw new SupervisorClosedException(instanceId);
        }
        return resource;
    }

    /** Registers an {@link AutoCloseable} to be closed with this supervisor (LIFO). */
    public <T extends AutoCloseable> T register(T closeable) {
        return register(String.valueOf(closeable), closeable, c -> {
            try {
                c.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new TetherException("closing " + c + " failed: " + e.getMessage(), e);
            }
        });
    }

    /** The settings this supervisor runs with. */
    public TetherSettings settings() {
        return settings;
    }

    /**
     * Stops every session and cleans every registered resource, newest first, and returns once
     * nothing of the sessions lives. Idempotent; later {@link #start} calls fail. Logs its report.
     */
    @Override
    public void close() {
        closeAndReport();
    }

    /** {@link #close()}, returning what was cleaned, what failed and how long it took. */
    public CloseReport closeAndReport() {
        return closeWithin(Duration.ofDays(365));
    }

    private CloseReport closeWithin(Duration budget) {
        lock.writeLock().lock();
        try {
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
        boolean first = !owned.isClosing();
        CloseReport report = owned.close(budget, RESOURCE_TIMEOUT,
                (session, grace) -> session.beginStop(grace, StopReason.SUPERVISOR_CLOSED));
        if (first) {
            platform.releaseInstance(instanceId);
            guardian.dismiss();
            if (report.clean()) {
                log.info("supervisor {} closed: {}", instanceId, report);
            } else {
                log.error("supervisor {} closed with failures: {}", instanceId, report);
            }
            if (shutdownHook != null && !Thread.currentThread().equals(shutdownHook)) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down
                }
            }
        }
        return report;
    }

    /** JVM shutdown (exit, SIGINT, SIGTERM, SIGHUP): the same close, inside the shutdown budget. */
    private void closeOnShutdown() {
        closeWithin(settings.shutdownBudget());
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
        private boolean closeOnUncaughtException;
        private TetherSettings settings;

        private Builder() {}

        /** Settings to use instead of {@link TetherSettings#load()}. */
        public Builder settings(TetherSettings s) {
            this.settings = Objects.requireNonNull(s, "settings");
            return this;
        }

        /** Uses another home (registry, PID file, session directories). */
        public Builder home(Path home) {
            this.settings = (settings != null ? settings : TetherSettings.load()).withHome(home.toAbsolutePath().normalize());
            return this;
        }

        /**
         * Whether an uncaught exception on any thread closes the supervisor (default false: JVM
         * shutdown closes it anyway when the exception ends the program).
         */
        public Builder closeOnUncaughtException(boolean enabled) {
            this.closeOnUncaughtException = enabled;
            return this;
        }

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
