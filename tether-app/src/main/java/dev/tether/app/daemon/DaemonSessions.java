package dev.tether.app.daemon;

import dev.tether.Durations;
import dev.tether.InvalidSpecException;
import dev.tether.NotReadyException;
import dev.tether.OrphanReport;
import dev.tether.PortInUseException;
import dev.tether.Session;
import dev.tether.SpawnException;
import dev.tether.StopReason;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import dev.tether.SupervisorClosedException;
import dev.tether.TetherException;
import dev.tether.client.api.EmergencyRecovery;
import dev.tether.client.api.OrphanCleanup;
import dev.tether.client.api.ProcessNode;
import dev.tether.client.api.SessionList;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.client.api.UsageView;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionFilter;
import dev.tether.registry.SessionRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's sessions: starts them (waiting for readiness), stops them, restarts them by their
 * policy, culls idle ones, and answers what they are. Every stop goes through the core's one stop
 * algorithm ({@link Session#stopAsync(Duration, StopReason)}); a run's end is seen through
 * {@link Session#onStopped()}, so nothing is restarted, counted or reported before nothing of the
 * run lives. Ended sessions stay in memory for a while ({@link #KEEP_ENDED}) and in the registry
 * as long as its retention keeps them ({@code keep_ended_for}, {@code keep_ended}); a session's
 * log goes once neither holds it ({@link #sweepLogs()}).
 */
final class DaemonSessions {
    private static final Logger log = LoggerFactory.getLogger(DaemonSessions.class);
    static final int KEEP_ENDED = 1000;
    private static final int LOG_TAIL_LINES = 20;

    private final Supervisor supervisor;
    private final Registry registry;
    private final SpecFactory specs;
    private final SessionLogs logs;
    private final DaemonMetrics metrics;
    private final ScheduledExecutorService timer;
    private final UsageCache usage = new UsageCache(Duration.ofSeconds(1));
    private final ListCache listings = new ListCache(Duration.ofSeconds(1));
    private final Map<String, ManagedSession> byId = new ConcurrentHashMap<>();
    private final Map<String, ManagedSession> byRun = new ConcurrentHashMap<>();
    private volatile boolean closing;

    DaemonSessions(Supervisor supervisor, SpecFactory specs, SessionLogs logs, DaemonMetrics metrics, ScheduledExecutorService timer) {
        this.supervisor = supervisor;
        this.registry = supervisor.registry().orElseThrow(() -> new IllegalStateException("the daemon needs a registry"));
        this.specs = specs;
        this.logs = logs;
        this.metrics = metrics;
        this.timer = timer;
    }

    /** Starts a session and, if it has a probe, waits for it to be ready; on failure nothing of it lives. */
    SessionView start(SessionRequest request) {
        if (closing) {
            throw new ApiException(503, "shutting_down", "the daemon is shutting down; start the session on its next run");
        }
        Path logFile = logs.newFile();
        SessionPlan plan;
        Session run;
        try {
            plan = specs.plan(request, logFile);
            run = supervisor.start(plan.spec());
        } catch (RuntimeException e) {
            logs.discard(logFile);
            metrics.spawnFailed();
            throw startFailure(e);
        }
        logs.link(run.id(), logFile);
        ManagedSession m = new ManagedSession(run, plan);
        byId.put(m.id, m);
        byRun.put(run.id(), m);
        listings.changed();
        metrics.spawned();
        watch(m, run);
        if (plan.probe().isPresent()) {
            try {
                run.awaitReady(plan.probe().get());
            } catch (NotReadyException e) {
                m.requestStop();
                run.stopAsync(plan.spec().stopPolicy().grace(), StopReason.NOT_READY).join();
                // FAILED whichever came first, the probe's timeout or the main process's own exit.
                m.end(SessionState.FAILED);
                throw new ApiException(422, "not_ready", "session " + m.id + " (" + run.name() + ") did not become ready: "
                        + e.reason() + "; its processes were stopped", logs.tail(logFile, LOG_TAIL_LINES), null);
            }
        }
        m.markReady(run);
        listings.changed();
        log.info("session {} ({}) started: pid {}{}", m.id, run.name(), run.pid(),
                run.port().isPresent() ? ", port " + run.port().getAsInt() : "");
        return view(m, true);
    }

    private RuntimeException startFailure(RuntimeException e) {
        return switch (e) {
            case ApiException a -> a;
            case PortInUseException p -> new ApiException(409, "port_in_use", p.getMessage(), null,
                    p.owners().stream().map(Views::holder).toList());
            case SpawnException s -> ApiException.unprocessable("spawn_failed", s.getMessage());
            case InvalidSpecException i when i.field().equals("ready") -> ApiException.field("ready", i.getMessage().substring(7));
            case InvalidSpecException i when i.field().equals("sessionDirectory") -> ApiException.unprocessable("invalid_session_dir",
                    "session_dir: " + i.getMessage().substring(i.field().length() + 2));
            case InvalidSpecException i -> ApiException.unprocessable("invalid_spec", i.getMessage());
            case SupervisorClosedException c -> new ApiException(503, "shutting_down", "the daemon is shutting down");
            case TetherException t -> ApiException.unprocessable("start_failed", t.getMessage());
            default -> e;
        };
    }

    private void watch(ManagedSession m, Session run) {
        run.onStopped().whenComplete((report, error) -> {
            if (report != null) {
                runEnded(m, run, report);
            } else {
                log.error("session {}: its stop failed", m.id, error);
            }
        });
    }

    private void runEnded(ManagedSession m, Session run, StopReport report) {
        metrics.stopped(report);
        m.runEnded(run, report);
        listings.changed();
        Restart policy = m.plan.restart();
        boolean failed = (report.reason() == StopReason.MAIN_EXITED && Restart.isFailure(report.exit()))
                || (report.reason() == StopReason.NOT_READY && m.restarts() > 0);
        if (!policy.onFailure() || !failed || m.stopRequested() || closing || run != m.current()) {
            return;
        }
        if (m.restarts() >= policy.maxRestarts()) {
            m.end(SessionState.FAILED);
            log.warn("session {} ({}) failed: {} restart(s), last exit {}", m.id, run.name(), m.restarts(), report.exit());
            return;
        }
        Duration delay = policy.delayBefore(m.restarts() + 1);
        synchronized (m) {
            if (m.restartAllowed()) {
                m.restartDue(Instant.now().plus(delay), timer.schedule(() -> restart(m), delay.toMillis(), TimeUnit.MILLISECONDS));
            }
        }
        log.info("session {} ({}) ended ({}); restart {} of {} in {}", m.id, run.name(), report.exit(), m.restarts() + 1,
                policy.maxRestarts(), Durations.format(delay));
    }

    private void restart(ManagedSession m) {
        Session run;
        synchronized (m) {
            if (!m.restartAllowed() || closing) {
                return;
            }
            try {
                run = supervisor.start(m.plan.spec());
            } catch (SupervisorClosedException e) {
                m.end(SessionState.STOPPED); // the daemon shut down before the restart
                return;
            } catch (TetherException e) {
                metrics.spawnFailed();
                m.end(SessionState.FAILED);
                log.warn("session {}: restart failed: {}", m.id, e.getMessage());
                return;
            }
            m.attachRun(run);
        }
        byRun.put(run.id(), m);
        listings.changed();
        metrics.spawned();
        metrics.restarted();
        watch(m, run);
        if (m.plan.probe().isEmpty()) {
            m.markReady(run);
            return;
        }
        Thread.ofPlatform().daemon().name("tether-ready-" + run.id()).start(() -> {
            try {
                run.awaitReady(m.plan.probe().get());
                m.markReady(run);
            } catch (NotReadyException e) {
                log.warn("session {}: restarted run {} did not become ready: {}", m.id, run.id(), e.reason());
                run.stopAsync(m.plan.spec().stopPolicy().grace(), StopReason.NOT_READY);
            }
        });
    }

    /** Stops a session with its grace (none with {@code force}); returns once nothing of it lives. */
    SessionView stop(String id, boolean force) {
        ManagedSession m = managed(id);
        Optional<Session> run = m.requestStop();
        listings.changed();
        run.ifPresent(r -> {
            StopReport report = r.stop(force ? Duration.ZERO : r.spec().stopPolicy().grace());
            if (!report.clean()) {
                throw new ApiException(500, "survivors", "session " + id + ": " + report.survivors()
                        + " process(es) survived SIGKILL (see GET /sessions/" + id + "); DELETE again to retry");
            }
        });
        return view(m, true);
    }

    SessionView activity(String id) {
        ManagedSession m = managed(id);
        if (!m.isLive()) {
            throw ApiException.conflict("not_live", "session " + id + " is " + m.state() + "; activity is only recorded for live sessions");
        }
        Instant now = Instant.now();
        m.touch(now);
        listings.changed();
        registry.touchActivity(m.current().id(), now);
        return view(m, true);
    }

    /** One session with its process tree: a managed one, else a registry row. */
    SessionView get(String id) {
        ManagedSession m = find(id);
        if (m != null) {
            return view(m, true);
        }
        return registry.session(id).map(r -> Views.of(r, true, logPath(id)))
                .orElseThrow(() -> unknown(id));
    }

    /** {@link #list} as JSON, rendered at most once per change or second. */
    ListCache.Rendered listJson(ListQuery q, java.util.function.Function<SessionList, byte[]> render) {
        return listings.get(q, () -> render.apply(list(q)));
    }

    SessionList list(ListQuery q) {
        List<SessionView> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ManagedSession m : byId.values()) {
            seen.addAll(m.runs());
            Session run = m.current();
            if (q.wants(m.state(), run.name(), run.spec().tags())) {
                out.add(view(m, false));
            }
        }
        SessionFilter filter = q.mayWantEnded() ? SessionFilter.all() : SessionFilter.live();
        if (q.name() != null) {
            filter = filter.named(q.name());
        }
        if (q.tag() != null) {
            filter = filter.taggedWith(q.tag());
        }
        for (SessionRecord r : registry.sessions(filter)) {
            if (!seen.contains(r.id()) && q.wants(SessionState.valueOf(r.state().name()), r.name(), r.intent().tags())) {
                out.add(Views.of(r, false, null));
            }
        }
        // Live ones first (newest start first), then ended ones by when they ended, latest first.
        out.sort(Comparator.comparing((SessionView v) -> v.endedAt() == null ? Instant.MAX : v.endedAt(), Comparator.reverseOrder())
                .thenComparing(SessionView::startedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        List<SessionView> page = out.size() > q.limit() ? out.subList(0, q.limit()) : out;
        return new SessionList(List.copyOf(page), page.size());
    }

    /**
     * Removes the logs of sessions that neither this daemon (in memory) nor the registry knows any
     * more: their rows were pruned by retention, so no request can reach those logs. Returns how
     * many went. A log whose session starts right now is linked only after its row exists, so it
     * is never taken for one of those.
     */
    int sweepLogs() {
        List<String> linked = logs.linkedIds();
        if (linked.isEmpty()) {
            return 0;
        }
        Set<String> recorded = new HashSet<>();
        registry.sessions(SessionFilter.all()).forEach(r -> recorded.add(r.id()));
        int removed = 0;
        for (String id : linked) {
            if (find(id) == null && !recorded.contains(id)) {
                logs.remove(id);
                removed++;
            }
        }
        if (removed > 0) {
            log.debug("removed the logs of {} session(s) the registry no longer keeps", removed);
        }
        return removed;
    }

    /** The log file of a session (managed, or by its id link), for tail and follow. */
    Path logFile(String id) {
        ManagedSession m = find(id);
        if (m != null) {
            return m.plan.logFile();
        }
        if (registry.session(id).isEmpty()) {
            throw unknown(id);
        }
        Path f = logs.resolve(id);
        if (f == null) {
            throw ApiException.notFound("session " + id + " has no log in " + logs.dir());
        }
        return f;
    }

    /** Whether nothing more will be written to a session's log. */
    boolean outputEnded(String id) {
        ManagedSession m = find(id);
        return m == null || m.state().isTerminal();
    }

    Map<SessionState, Integer> countsByState() {
        Map<SessionState, Integer> counts = new EnumMap<>(SessionState.class);
        for (SessionState s : SessionState.values()) {
            if (s != SessionState.UNKNOWN) {
                counts.put(s, 0);
            }
        }
        byId.values().forEach(m -> counts.merge(m.state(), 1, Integer::sum));
        return counts;
    }

    /** Live run ids of this daemon (for the consistency check). */
    Set<String> liveRuns() {
        Set<String> out = new HashSet<>();
        for (ManagedSession m : byId.values()) {
            Session run = m.current();
            if (!run.state().isTerminal()) {
                out.add(run.id());
            }
        }
        return out;
    }

    int liveCount() {
        return (int) byId.values().stream().filter(ManagedSession::isLive).count();
    }

    OrphanCleanup cleanupOrphans(boolean dryRun) {
        OrphanReport r = supervisor.cleanupOrphans(dryRun);
        if (!dryRun) {
            metrics.orphansCleaned(r.count());
        }
        return new OrphanCleanup(r.count(), liveCount(), r.processes().stream().map(Views::killed).toList(), dryRun);
    }

    EmergencyRecovery emergency() {
        int stopped = 0;
        for (ManagedSession m : byId.values()) {
            if (m.isLive()) {
                stopped++;
            }
            m.requestStop();
        }
        listings.changed();
        OrphanReport r = supervisor.emergencyStop();
        metrics.orphansCleaned(r.count());
        log.warn("emergency recovery: {} session(s) stopped, {} other marked process(es) stopped", stopped, r.count());
        return new EmergencyRecovery(stopped, r.count(), r.processes().stream().map(Views::killed).toList());
    }

    /** Housekeeping, every few seconds: idle culling, log caps, forgetting old ended sessions. */
    void tick() {
        Instant now = Instant.now();
        List<ManagedSession> ended = new ArrayList<>();
        for (ManagedSession m : byId.values()) {
            SessionState s = m.state();
            if (s == SessionState.RUNNING && m.plan.idleTimeout().isPresent()
                    && Duration.between(m.lastActivity(), now).compareTo(m.plan.idleTimeout().get()) >= 0) {
                cull(m);
            }
            if (s.isTerminal()) {
                ended.add(m);
            } else {
                logs.capSize(m.plan.logFile());
            }
        }
        if (ended.size() > KEEP_ENDED) {
            ended.sort(Comparator.comparing(m -> m.endedAt().orElse(Instant.EPOCH)));
            for (ManagedSession m : ended.subList(0, ended.size() - KEEP_ENDED)) {
                byId.remove(m.id);
                m.runs().forEach(byRun::remove);
            }
            listings.changed();
        }
    }

    private void cull(ManagedSession m) {
        Optional<Session> run = m.requestStop();
        run.ifPresent(r -> {
            log.info("session {} ({}) idle for {}: culling it", m.id, r.name(), Durations.format(m.plan.idleTimeout().get()));
            metrics.culled();
            r.stopAsync(r.spec().stopPolicy().grace(), StopReason.IDLE);
        });
    }

    /** No more starts or restarts: the daemon is closing. */
    void close() {
        closing = true;
        listings.changed();
        for (ManagedSession m : byId.values()) {
            synchronized (m) {
                if (m.state() == SessionState.RESTARTING) {
                    m.requestStop();
                }
            }
        }
    }

    private SessionView view(ManagedSession m, boolean detail) {
        Session run = m.current();
        boolean live = !m.state().isTerminal() && !run.state().isTerminal();
        Optional<UsageView> u = live ? Optional.of(usage.get(run, detail)) : Optional.empty();
        List<ProcessNode> tree = detail && live ? Views.tree(run.members()) : null;
        return Views.of(m, supervisor.instanceId(), detail, u, tree, m.plan.logFile().toString());
    }

    private String logPath(String id) {
        Path f = logs.resolve(id);
        return f == null ? null : f.toString();
    }

    private ManagedSession find(String id) {
        ManagedSession m = byId.get(id);
        return m != null ? m : byRun.get(id);
    }

    private ManagedSession managed(String id) {
        ManagedSession m = find(id);
        if (m != null) {
            return m;
        }
        Optional<SessionRecord> r = registry.session(id);
        if (r.isEmpty()) {
            throw unknown(id);
        }
        if (r.get().isLive()) {
            throw ApiException.conflict("not_owned", "session " + id + " belongs to supervisor " + r.get().instanceId()
                    + ", not to this daemon; stop it there (or, if that supervisor died, POST /cleanup/orphans)");
        }
        throw ApiException.conflict("not_live", "session " + id + " ended (" + r.get().state() + ") before this daemon started");
    }

    private static ApiException unknown(String id) {
        return ApiException.notFound("no session " + id + "; GET /sessions?all=true lists every session");
    }
}
