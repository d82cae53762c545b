package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.linux.LinuxPlatform;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionRecord;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.CrashDriver;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child-JVM supervisor starts and stops sessions in a loop and is SIGKILLed at a random moment
 * (and, separately, its guardian with it). After each crash a new supervisor opens the same home,
 * and the registry must equal reality: no row says running, no marked process of the dead
 * instance lives, no lease, directory or cgroup is left.
 * Iterations: {@code -Dtether.crash.iterations} (default 200 for the supervisor alone, half that
 * for supervisor and guardian together).
 */
class RandomCrashIT {
    private static final int ITERATIONS = Integer.getInteger("tether.crash.iterations", 200);
    private static final long SEED = Long.getLong("tether.crash.seed", System.nanoTime());

    @TempDir
    Path tmp;
    private final String tag = Chaos.newTag("churn");

    @AfterEach
    void nothingSurvives() {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
    }

    @ParameterizedTest(name = "kill guardian too: {0}")
    @ValueSource(booleans = {false, true})
    void registryEqualsRealityAfterEveryCrash(boolean guardianToo) throws Exception {
        Random random = new Random(SEED + (guardianToo ? 1 : 0));
        Path home = tmp.resolve(guardianToo ? "home-both" : "home-jvm");
        int iterations = guardianToo ? Math.max(1, ITERATIONS / 2) : ITERATIONS;
        TetherSettings settings = TetherSettings.load(Map.of("TETHER_HOME", home.toString()), Map.of("grace", "1s"));
        for (int i = 0; i < iterations; i++) {
            String instance;
            try (ChildJvm child = ChildJvm.start(CrashDriver.class, Map.of("TETHER_HOME", home.toString()), List.of("churn", tag))) {
                String[] started = child.awaitLine("started", Duration.ofSeconds(30)).split(" ");
                instance = started[1];
                long guardian = Long.parseLong(started[2]);
                // Let it churn for a random while: the kill lands between any two steps.
                long until = System.nanoTime() + Duration.ofMillis(random.nextInt(400)).toNanos();
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(2))
                        .until(() -> System.nanoTime() >= until);
                if (guardianToo) {
                    // One kill(1) for both, JVM first: the guardian is gone before it could read EOF.
                    kill(child.pid(), guardian);
                } else {
                    child.signal("KILL");
                }
                child.waitFor(Duration.ofSeconds(10));
            }
            String seedNote = "iteration " + i + " (seed " + SEED + ", guardian killed too: " + guardianToo + ")";
            if (!guardianToo) {
                // The guardian alone must have cleaned up, before any reconciliation.
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                        assertThat(Leaks.ofInstance(instance)).as("survivors after SIGKILL, " + seedNote).isEmpty());
            }
            try (Supervisor checker = Supervisor.builder().settings(settings).guardian(false).shutdownHook(false).open()) {
                Registry registry = checker.registry().orElseThrow();
                List<SessionRecord> live = registry.liveSessions();
                assertThat(live).as("rows that still say running, " + seedNote).isEmpty();
                assertThat(Leaks.ofInstance(instance)).as("marked processes without a live row, " + seedNote).isEmpty();
                assertThat(registry.leasedPorts()).as("leases, " + seedNote).isEmpty();
                assertThat(registry.instance(instance).orElseThrow().endedAt()).as("instance row closed, " + seedNote).isPresent();
                assertThat(sessionDirectories(settings)).as("session directories, " + seedNote).isEmpty();
                LinuxPlatform.instanceCgroup(instance).ifPresent(cg ->
                        assertThat(cg).as("instance cgroup, " + seedNote).doesNotExist());
            }
        }
    }

    private static List<Path> sessionDirectories(TetherSettings settings) throws IOException {
        if (!Files.isDirectory(settings.sessionsDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(settings.sessionsDir())) {
            return s.toList();
        }
    }

    /** By the pids we hold: our child JVM (unreaped) and its guardian (as it reported it, unreaped by its parent). */
    private static void kill(long jvm, long guardian) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-KILL", Long.toString(jvm), Long.toString(guardian)).inheritIO().start().waitFor();
    }
}
