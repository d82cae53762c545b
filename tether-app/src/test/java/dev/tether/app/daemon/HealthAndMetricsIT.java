package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.client.api.Health;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.testkit.Chaos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health} and {@code /metrics} report what really happened. */
class HealthAndMetricsIT {
    @TempDir
    static Path home;
    static TestDaemon daemon;

    @BeforeAll
    static void start() {
        daemon = TestDaemon.start(home);
    }

    @AfterAll
    static void stop() {
        daemon.close();
        assertThat(daemon.leftovers()).isEmpty();
    }

    @Test
    void healthSaysRegistryGuardianAndContainment() {
        Health h = daemon.client().health();
        assertThat(h.status()).isEqualTo("ok");
        assertThat(h.registry().reachable()).isTrue();
        assertThat(h.registry().consistent()).isTrue();
        assertThat(h.guardian().alive()).isTrue();
        assertThat(h.guardian().pid()).isPositive();
        assertThat(h.containment()).isIn("CGROUP", "PROCESS_GROUP_AND_MARKER", "PORTABLE");
        assertThat(h.instance()).isEqualTo(daemon.instance());
        assertThat(h.sessions()).containsKeys(SessionState.RUNNING, SessionState.STOPPED);
        var healthz = daemon.send("GET", "/healthz", null, null, null);
        assertThat(healthz.body()).isEqualTo("ok\n");
        assertThat(healthz.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(healthz.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void metricsCountSpawnsStopsByOutcomeAndStates() {
        String before = daemon.client().metrics();
        String tag = Chaos.newTag("metrics");
        try {
            SessionView polite = daemon.client().start(SessionRequest.of("sleep", "60").withEnv("CHAOS_TAG", tag));
            SessionView stubborn = daemon.client().start(SessionRequest.of(Chaos.command("term-ignorer", tag))
                    .withGrace(Duration.ofMillis(200)));
            await().atMost(Duration.ofSeconds(10)).until(() -> Chaos.survivors(tag) == 3);
            String during = daemon.client().metrics();
            assertThat(value(during, "tether_sessions{state=\"RUNNING\"}")).isEqualTo(value(before, "tether_sessions{state=\"RUNNING\"}") + 2);
            daemon.client().stop(polite.id());
            daemon.client().stop(stubborn.id());
            String after = daemon.client().metrics();
            assertThat(value(after, "tether_spawns_total")).isEqualTo(value(before, "tether_spawns_total") + 2);
            assertThat(value(after, "tether_stops_total{outcome=\"term\"}")).isEqualTo(value(before, "tether_stops_total{outcome=\"term\"}") + 1);
            assertThat(value(after, "tether_stops_total{outcome=\"kill\"}")).isEqualTo(value(before, "tether_stops_total{outcome=\"kill\"}") + 1);
            assertThat(value(after, "tether_stop_duration_seconds_count")).isEqualTo(value(before, "tether_stop_duration_seconds_count") + 2);
            assertThat(value(after, "tether_reconcile_runs_total")).isGreaterThanOrEqualTo(1);
            assertThat(value(after, "tether_sessions{state=\"STOPPED\"}")).isEqualTo(value(before, "tether_sessions{state=\"STOPPED\"}") + 2);
            assertThat(Chaos.survivors(tag)).isZero();
        } finally {
            Chaos.reap(tag);
        }
    }

    /** A sample's value in Prometheus text; 0 when the sample is not there yet. */
    private static double value(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
