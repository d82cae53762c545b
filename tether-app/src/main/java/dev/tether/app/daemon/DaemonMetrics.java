package dev.tether.app.daemon;

import dev.tether.StopReport;
import dev.tether.client.api.SessionState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The daemon's Prometheus metrics (the Prometheus Java client, text format 0.0.4): sessions by
 * state, spawns, stops by outcome (the stop signal sufficed, SIGKILL was needed, processes
 * survived), orphans cleaned, a stop latency histogram, reconcile runs, restarts and culls.
 */
final class DaemonMetrics {
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter spawns;
    private final Counter spawnFailures;
    private final Counter stops;
    private final Counter orphans;
    private final Counter reconciles;
    private final Counter restarts;
    private final Counter culls;
    private final Histogram stopSeconds;

    DaemonMetrics() {
        spawns = Counter.builder().name("tether_spawns_total").help("Main processes started (first runs and restarts).").register(registry);
        spawnFailures = Counter.builder().name("tether_spawn_failures_total").help("Starts refused or failed before a process ran.")
                .register(registry);
        stops = Counter.builder().name("tether_stops_total")
                .help("Session trees stopped, by outcome: term (the stop signal sufficed), kill (SIGKILL was needed), survivors (something outlived SIGKILL).")
                .labelNames("outcome").register(registry);
        stopSeconds = Histogram.builder().name("tether_stop_duration_seconds")
                .help("From a stop's start to nothing of the session left.")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30).classicOnly().register(registry);
        orphans = Counter.builder().name("tether_orphans_cleaned_total").help("Orphaned Tether-marked processes stopped.").register(registry);
        reconciles = Counter.builder().name("tether_reconcile_runs_total").help("Reconciliations of the registry with reality.")
                .register(registry);
        restarts = Counter.builder().name("tether_restarts_total").help("Sessions started again by their restart policy.").register(registry);
        culls = Counter.builder().name("tether_culls_total").help("Sessions stopped for being idle too long.").register(registry);
    }

    /** The sessions gauge, read from {@code sessionsByState} at each scrape. */
    void countSessions(Supplier<Map<SessionState, Integer>> sessionsByState) {
        GaugeWithCallback.builder().name("tether_sessions").help("Sessions of this daemon by state.").labelNames("state")
                .callback(cb -> sessionsByState.get().forEach((state, n) -> cb.call(n, state.name())))
                .register(registry);
    }

    void spawned() {
        spawns.inc();
    }

    void spawnFailed() {
        spawnFailures.inc();
    }

    void stopped(StopReport r) {
        String outcome = r.survivors() > 0 ? "survivors" : r.killed() > 0 ? "kill" : "term";
        stops.labelValues(outcome).inc();
        stopSeconds.observe(r.elapsed().toNanos() / 1e9);
    }

    void orphansCleaned(int n) {
        orphans.inc(n);
    }

    void reconciled() {
        reconciles.inc();
    }

    void restarted() {
        restarts.inc();
    }

    void culled() {
        culls.inc();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
