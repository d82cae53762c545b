package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.linux.LinuxPlatform;
import dev.tether.registry.Registry;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.CrashDriver;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervisor and its guardian are SIGKILLed together; before reconciliation, a process that no
 * session row names and that carries no marker is inside the dead instance's cgroup (as a spawn
 * in flight at the death is once its gate runs: it enters its session's cgroup after the
 * reconciler's stop of that session looked). Reconciliation must kill it and remove the cgroup,
 * not leave both behind because the cgroup was not empty.
 */
class DeadInstanceCgroupIT {
    /** The gate LinuxSpawner runs a session's main through. */
    private static final String GATE = "echo $$ > \"$0\" || exit 112; exec \"$@\"";

    @TempDir
    Path tmp;
    private final String tag = Chaos.newTag("dead-cgroup");
    private Process stray;
    private Path instanceCgroup;

    @AfterEach
    void nothingSurvives() {
        boolean strayAlive = stray != null && stray.isAlive();
        if (stray != null) {
            stray.destroyForcibly(); // the handle we hold
        }
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        if (instanceCgroup != null && Files.isDirectory(instanceCgroup)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> removeTree(instanceCgroup)); // leave no cgroup behind
        }
        assertThat(left).isZero();
        assertThat(strayAlive).as("the process in the dead instance's cgroup survived").isFalse();
    }

    @Test
    void whatIsStillInADeadInstancesCgroupIsKilledAndTheCgroupRemoved() throws Exception {
        TestLevels.assumeAvailable(Containment.CGROUP);
        Path home = tmp.resolve("home");
        String instance;
        try (ChildJvm child = ChildJvm.start(CrashDriver.class, Map.of("TETHER_HOME", home.toString()), List.of("churn", tag))) {
            String[] started = child.awaitLine("started", Duration.ofSeconds(30)).split(" ");
            instance = started[1];
            long guardian = Long.parseLong(started[2]);
            // JVM first, then its guardian, in one kill(1): no guardian cleans up.
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid()), Long.toString(guardian))
                    .inheritIO().start().waitFor();
            child.waitFor(Duration.ofSeconds(10));
        }
        instanceCgroup = LinuxPlatform.instanceCgroup(instance).orElseThrow();
        Path late = instanceCgroup.resolve("late");
        Files.createDirectories(late);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", GATE, late.resolve("cgroup.procs").toString(), "/bin/sleep", "300")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("TETHER_"));
        stray = pb.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> inCgroup(late, stray.pid()));

        TetherSettings settings = TetherSettings.load(Map.of("TETHER_HOME", home.toString()), Map.of("grace", "1s"));
        try (Supervisor checker = Supervisor.builder().settings(settings).guardian(false).shutdownHook(false).open()) {
            Registry registry = checker.registry().orElseThrow();
            assertThat(registry.liveSessions()).isEmpty();
            assertThat(registry.instance(instance).orElseThrow().endedAt()).isPresent();
        }
        await().atMost(Duration.ofSeconds(1)).until(() -> !stray.isAlive());
        assertThat(instanceCgroup).as("instance cgroup").doesNotExist();
        assertThat(Leaks.ofInstance(instance)).isEmpty();
    }

    /** rmdir deepest first; false while a member still keeps a cgroup busy. */
    private static boolean removeTree(Path top) {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path d : walk.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList()) {
                Files.deleteIfExists(d);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean inCgroup(Path cgroup, long pid) throws IOException {
        return Files.readString(cgroup.resolve("cgroup.procs")).lines().anyMatch(Long.toString(pid)::equals);
    }
}
