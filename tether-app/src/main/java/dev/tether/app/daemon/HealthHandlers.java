package dev.tether.app.daemon;

import dev.tether.ProcessId;
import dev.tether.Supervisor;
import dev.tether.client.api.Health;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionFilter;
import dev.tether.registry.SessionRecord;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** Liveness, health, metrics and the API's own description. */
final class HealthHandlers {
    private final Supervisor supervisor;
    private final DaemonSessions sessions;
    private final DaemonMetrics metrics;
    private final Http http;
    private final Instant startedAt;
    private final String version;
    private volatile byte[] openApi;

    HealthHandlers(Supervisor supervisor, DaemonSessions sessions, DaemonMetrics metrics, Http http, Instant startedAt, String version) {
        this.supervisor = supervisor;
        this.sessions = sessions;
        this.metrics = metrics;
        this.http = http;
        this.startedAt = startedAt;
        this.version = version;
    }

    void openApi(byte[] document) {
        this.openApi = document;
    }

    void healthz(Context ctx) {
        ctx.status(200).contentType("text/plain; charset=utf-8").result("ok\n");
    }

    void health(Context ctx) {
        Health.RegistryHealth reg = registryHealth();
        var guardianPid = supervisor.guardian().filter(ProcessId::isAlive);
        Health.GuardianHealth guardian = new Health.GuardianHealth(guardianPid.isPresent(), guardianPid.map(ProcessId::pid).orElse(null));
        boolean ok = reg.reachable() && reg.consistent() && guardian.alive();
        http.json(ctx, 200, new Health(ok ? "ok" : "degraded", supervisor.instanceId(), ProcessHandle.current().pid(), version,
                startedAt, supervisor.settings().home().toString(), supervisor.containment().name(),
                supervisor.containment().summary(), reg, guardian, sessions.countsByState()));
    }

    /**
     * Reachable: a query answered. Consistent: the registry's live rows of this daemon are exactly
     * its live runs (a row still {@code STARTING} is a start in progress and counts as consistent).
     */
    private Health.RegistryHealth registryHealth() {
        Registry r = supervisor.registry().orElseThrow();
        try {
            Set<String> rows = new HashSet<>();
            Set<String> starting = new HashSet<>();
            for (SessionRecord s : r.sessions(SessionFilter.live().ofInstance(supervisor.instanceId()))) {
                (s.state() == dev.tether.SessionState.STARTING ? starting : rows).add(s.id());
            }
            Set<String> live = sessions.liveRuns();
            Set<String> missing = new HashSet<>(live);
            missing.removeAll(rows);
            missing.removeAll(starting);
            Set<String> extra = new HashSet<>(rows);
            extra.removeAll(live);
            boolean consistent = missing.isEmpty() && extra.isEmpty();
            String detail = consistent ? rows.size() + " live row(s), matching the daemon's live sessions"
                    : "rows without a live session: " + extra + "; live sessions without a row: " + missing;
            return new Health.RegistryHealth(true, consistent, r.file().toString(), detail);
        } catch (RuntimeException e) {
            return new Health.RegistryHealth(false, false, r.file().toString(), e.getMessage());
        }
    }

    void metrics(Context ctx) {
        ctx.status(200).contentType(DaemonMetrics.CONTENT_TYPE).result(metrics.scrape());
    }

    void openApiDocument(Context ctx) {
        ctx.status(200).contentType(Http.JSON).result(openApi);
    }
}
