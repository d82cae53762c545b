package dev.tether;

import dev.tether.internal.CleanupStack;
import dev.tether.internal.Ids;
import dev.tether.internal.Orphans;
import dev.tether.internal.Platforms;
import dev.tether.internal.ProcessSetScope;
import dev.tether.internal.StopAlgorithm;
import dev.tether.internal.Reconciler;
import dev.tether.internal.SessionLedger;
import dev.tether.registry.Registry;
import dev.tether.registry.TetherHome;
import dev.tether.internal.PortAllocator;
import dev.tether.internal.SessionDirectories;
import dev.tether.internal.SpawnPreflight;
import dev.tether.spi.Guardian;
import dev.tether.spi.Platform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private final ProcessId self = ProcessId.current();
    private final Platform platform;
    private final Map<String, Session> sessions = new LinkedHashMap<>(); // guarded by itself
    private final CleanupStack owned = new CleanupStack();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final TetherSettings settings;
    private final PortAllocator ports;
    private final SessionDirectories directories;
    private final SessionLedger ledger;
    private final Optional<Reconciler> reconciler;
    private final Set<String> starting = ConcurrentHashMap.newKeySet();
    private final SessionLauncher launcher;
    private final Orphans orphans;
    private final Thread shutdownHook;
    private final Guardian guardian;
    private boolean closed; // guarded by lock
    private final java.util.concurrent.atomic.AtomicBoolean closeFinished = new java.util.concurrent.atomic.AtomicBoolean();

    private Supervisor(Builder b) {
        this.settings = b.settings != null ? b.settings : TetherSettings.load();
        this.platform = Platforms.select(b.containment);
        this.directories = new SessionDirectories(settings.sessionsDir());
        Optional<Registry> registry = b.registry ? Optional.of(Registry.open(TetherHome.registryFile(settings.home())))
                : Optional.empty();
        this.ledger = new SessionLedger(registry, instanceId);
        this.ports = new PortAllocator(settings.portRange(), ledger);
        this.reconciler = registry.map(r -> new Reconciler(r, platform, directories, instanceId, settings.grace(),
                new Reconciler.Retention(settings.keepEndedFor(), settings.keepEnded())));
        registry.ifPresent(r -> owned.push("registry " + r.file(), () -> {
            ledger.endInstance();
            r.close();
        }));
        try {
            ledger.recordInstance();
            if (b.reconcileAtOpen) {
                reconcile();
            }
        } catch (RuntimeException e) {
            registry.ifPresent(Registry::close);
            throw e;
        }
        this.guardian = b.guardian ? platform.startGuardian(instanceId) : Guardian.NONE;
        this.launcher = new SessionLauncher(instanceId, platform, ports, directories, ledger, guardian);
        this.orphans = new Orphans(platform, registry);
        if (registry.isPresent() && !settings.reconcileInterval().isZero()) {
            Thread.ofPlatform().daemon().name("tether-reconcile-" + instanceId).start(this::reconcilePeriodically);
        }
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
            env.put(ProcessSpec.SUPERVISOR_MARKER, self.pid() + ":" + self.startTime());
            Path dir = SpawnPreflight.directory(spec);
            Path executable = SpawnPreflight.executable(spec, dir, env);
            SpawnPreflight.redirects(spec);
            starting.add(id);
            try {
                Session session = launcher.launch(id, spec, env, dir, executable, this::ended);
                synchronized (sessions) {
                    if (!session.state().isTerminal()) {
                        sessions.put(id, session);
                        owned.push(session);
                    }
                }
                return session;
            } finally {
                starting.remove(id);
            }
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

    /** A session reached a terminal state: its directory goes, then its row closes, then its lease. */
    private void ended(Session s, StopReport report) {
        s.directory().ifPresent(d -> {
            try {
                directories.remove(d);
            } catch (TetherException e) {
                log.warn("session {}: {}", s.id(), e.getMessage());
            }
        });
        ledger.ended(s.id(), s.state(), report);
        synchronized (sessions) {
            sessions.remove(s.id());
            owned.remove(s);
        }
        guardian.untrack(s.processId());
        s.port().ifPresent(ports::release);
    }

    /** The registry this supervisor records into, when it has one (read it; the supervisor writes it). */
    public Optional<Registry> registry() {
        return ledger.registry();
    }

    /**
     * Finds Tether-marked processes of this user that belong to no live session (their supervisor
     * died, or their session ended) and, unless {@code dryRun}, stops them with the one stop
     * algorithm; registry leftovers of dead supervisors are reconciled too. Live sessions of any
     * live supervisor are never touched.
     */
    public OrphanReport cleanupOrphans(boolean dryRun) {
        if (!dryRun) {
            reconcile();
        }
        List<ProcessInfo> found = orphans.find(this::runsSession);
        if (!dryRun) {
            orphans.stop(found, settings.grace());
        }
        return new OrphanReport(found, !dryRun, sessions().size());
    }

    /**
     * Emergency: stops every session of this supervisor and every Tether-marked process of this
     * user, whichever supervisor started it, each with the grace period. Never touches an
     * unmarked process or another user's. History stays in the registry.
     *
     * @return the marked processes that were found besides this supervisor's own sessions
     */
    public OrphanReport emergencyStop() {
        List<java.util.concurrent.CompletableFuture<StopReport>> stops = new java.util.ArrayList<>();
        for (Session s : sessions()) {
            stops.add(s.stopAsync(s.spec().stopPolicy().grace()));
        }
        stops.forEach(java.util.concurrent.CompletableFuture::join);
        List<ProcessInfo> marked = orphans.allOfThisUser();
        orphans.stop(marked, settings.grace());
        reconcile();
        return new OrphanReport(marked, true, 0);
    }

    /**
     * Stops processes that are not sessions of this supervisor — only for an explicit request of a
     * user who named them (e.g. {@code tether cleanup --port N} after confirmation) — with the one
     * stop algorithm: the stop signal to them and their descendants, the grace period, then SIGKILL.
     */
    public StopReport stopProcesses(Collection<ProcessId> processes, Duration grace) {
        StopAlgorithm.Outcome o = StopAlgorithm.run(new ProcessSetScope(processes, platform), Signal.TERM,
                new StopAlgorithm.Deadline(grace));
        return new StopReport(new Exit.Unknown("not a session: " + processes.size() + " named process(es)"),
                o.signalled(), o.killed(), o.survivors(), o.elapsed(), StopReason.REQUESTED);
    }

    private boolean runsSession(String id) {
        return starting.contains(id) || session(id).isPresent();
    }

    /**
     * Makes the registry match reality now: stops and closes what dead supervisors on this home
     * left, corrects rows, sweeps stale directories. Runs at open and every reconcile interval.
     */
    public ReconcileReport reconcile() {
        if (reconciler.isEmpty()) {
            return ReconcileReport.NOTHING;
        }
        return reconciler.get().reconcile(this::runsSession);
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
        CloseReport report = owned.close(budget, RESOURCE_TIMEOUT,
                (session, grace) -> session.beginStop(grace, StopReason.SUPERVISOR_CLOSED));
        if (closeFinished.compareAndSet(false, true)) {
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

    private void reconcilePeriodically() {
        while (!owned.isClosing()) {
            java.util.concurrent.locks.LockSupport.parkNanos(settings.reconcileInterval().toNanos());
            if (owned.isClosing()) {
                return;
            }
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("periodic reconciliation failed: {}", e.getMessage());
            }
        }
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
        private boolean registry = true;
        private boolean reconcileAtOpen = true;

        private Builder() {}

        /** Whether {@link #open()} reconciles the home before returning (default true). */
        public Builder reconcileAtOpen(boolean enabled) {
            this.reconcileAtOpen = enabled;
            return this;
        }

        /**
         * Whether sessions are recorded in the home's registry (default true) so that reconciliation
         * can finish what a dead supervisor left. Without it, nothing is written to the home.
         */
        public Builder registry(boolean enabled) {
            this.registry = enabled;
            return this;
        }

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
