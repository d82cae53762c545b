package dev.tether.registry;

import static dev.tether.registry.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.StopReason;
import dev.tether.StopReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers at once: through one registry, and through two connections to one file. */
class RegistryConcurrencyTest {
    private static final int THREADS = 8;
    private static final int SESSIONS_PER_THREAD = 500;

    @TempDir
    Path dir;

    @Test
    void everyWriteOfEightThreadsLands() throws Exception {
        try (Registry registry = Registry.open(dir.resolve("registry.db"))) {
            registry.recordInstance(Fixtures.instance("inst-a"));
            runAll(THREADS, t -> startAndStop(registry, "t" + t, 10_000 + t * SESSIONS_PER_THREAD, SESSIONS_PER_THREAD));
            assertAllEnded(registry, THREADS * SESSIONS_PER_THREAD);
        }
    }

    @Test
    void twoConnectionsToOneFileWaitForEachOther() throws Exception {
        Path file = dir.resolve("registry.db");
        try (Registry a = Registry.open(file); Registry b = Registry.open(file)) {
            a.recordInstance(Fixtures.instance("inst-a"));
            runAll(THREADS, t -> startAndStop(t % 2 == 0 ? a : b, "t" + t, 10_000 + t * SESSIONS_PER_THREAD,
                    SESSIONS_PER_THREAD / 5));
            assertAllEnded(a, THREADS * SESSIONS_PER_THREAD / 5);
            assertThat(b.sessions(SessionFilter.all())).hasSize(THREADS * SESSIONS_PER_THREAD / 5);
        }
    }

    @Test
    void eachPortGoesToExactlyOneOfManyContenders() throws Exception {
        int ports = 50;
        try (Registry registry = Registry.open(dir.resolve("registry.db"))) {
            registry.recordInstance(Fixtures.instance("inst-a"));
            for (int t = 0; t < THREADS; t++) {
                registry.insertSessionIntent(Fixtures.intent("s" + t, "inst-a"));
            }
            List<Integer> won = runAll(THREADS, t -> {
                int count = 0;
                for (int port = 20_000; port < 20_000 + ports; port++) {
                    try {
                        registry.leasePort(port, "s" + t, T0);
                        count++;
                    } catch (PortLeasedException lost) {
                        // another thread has it
                    }
                }
                return count;
            });
            assertThat(won.stream().mapToInt(Integer::intValue).sum()).isEqualTo(ports);
            Map<Integer, Long> holdersPerPort = registry.leasedPorts().stream()
                    .collect(Collectors.groupingBy(PortLease::port, Collectors.counting()));
            assertThat(holdersPerPort).hasSize(ports).allSatisfy((port, holders) -> assertThat(holders).isEqualTo(1));
        }
    }

    /** Records {@code sessions} whole lives, each with its own port from {@code firstPort} on. */
    private static int startAndStop(Registry registry, String prefix, int firstPort, int sessions) {
        for (int i = 0; i < sessions; i++) {
            String id = prefix + "-" + i;
            registry.insertSessionIntent(Fixtures.intentWithPort(id, "inst-a", firstPort + i));
            registry.markSessionRunning(id, new ProcessId(Fixtures.BOOT, 1000 + i, i), T0.plusMillis(i));
            registry.touchActivity(id, T0.plusMillis(i + 1));
            StopReport report = new StopReport(new Exit.Exited(0), 1, 0, 0, Duration.ofMillis(3), StopReason.REQUESTED);
            registry.markSessionEnded(id, SessionState.STOPPED, report, T0.plusMillis(i + 2));
        }
        return sessions;
    }

    private static void assertAllEnded(Registry registry, int expected) {
        List<SessionRecord> all = registry.sessions(SessionFilter.all());
        assertThat(all).hasSize(expected);
        assertThat(all).allSatisfy(s -> {
            assertThat(s.state()).isEqualTo(SessionState.STOPPED);
            assertThat(s.main()).isPresent();
            assertThat(s.exit()).contains(new Exit.Exited(0));
        });
        assertThat(registry.liveSessions()).isEmpty();
        assertThat(registry.leasedPorts()).isEmpty();
    }

    private interface Task<T> {
        T run(int thread) throws Exception;
    }

    private static <T> List<T> runAll(int threads, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit((Callable<T>) () -> task.run(thread)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
