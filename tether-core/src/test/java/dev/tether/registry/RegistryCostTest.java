package dev.tether.registry;

import static dev.tether.registry.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.StopReason;
import dev.tether.StopReport;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry costs per session start/stop and per full read of 1,000 live sessions, logged
 * (not asserted: shared machines are noisy). The target is at most 1 ms per start/stop.
 */
class RegistryCostTest {
    private static final Logger log = LoggerFactory.getLogger(RegistryCostTest.class);
    private static final int WARMUP = 2_000;
    private static final int SESSIONS = 2_000;
    private static final int LIVE = 1_000;

    @TempDir
    Path dir;

    @Test
    void measuresCostPerSessionLifeAndPerLiveListing() {
        try (Registry registry = Registry.open(dir.resolve("registry.db"))) {
            registry.recordInstance(Fixtures.instance("inst-a"));
            StopReport report = new StopReport(new Exit.Exited(0), 2, 0, 0, Duration.ofMillis(4), StopReason.REQUESTED);
            lives(registry, "warm", WARMUP, report);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            lives(registry, "s", SESSIONS, report);
            double perSessionMicros = (System.nanoTime() - t0) / 1_000.0 / SESSIONS;
            double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000.0 / SESSIONS;

            for (int i = 0; i < LIVE; i++) {
                registry.insertSessionIntent(Fixtures.intent("live" + i, "inst-a"));
            }
            for (int i = 0; i < 20; i++) {
                registry.liveSessions();
            }
            int rounds = 50;
            long t1 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                assertThat(registry.liveSessions()).hasSize(LIVE);
            }
            double listMillis = (System.nanoTime() - t1) / 1e6 / rounds;

            log.info(String.format(Locale.ROOT, "registry cost: %.1f µs per session wall, %.1f µs CPU (intent + running "
                    + "+ ended, %d sessions); liveSessions() with %d live: %.2f ms", perSessionMicros, cpuMicros, SESSIONS,
                    LIVE, listMillis));
        }
    }

    private static void lives(Registry registry, String prefix, int count, StopReport report) {
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            registry.insertSessionIntent(Fixtures.intent(id, "inst-a"));
            registry.markSessionRunning(id, new ProcessId(Fixtures.BOOT, 100 + i, i), T0);
            registry.markSessionEnded(id, SessionState.STOPPED, report, T0.plusSeconds(1));
        }
    }
}
