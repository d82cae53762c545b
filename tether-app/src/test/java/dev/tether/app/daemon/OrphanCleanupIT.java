package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.client.api.KilledProcess;
import dev.tether.client.api.OrphanCleanup;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.linux.LinuxPlatform;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.CrashDriver;
import dev.tether.testkit.Leaks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orphan cleanup with five active sessions and real orphans: a supervisor in a child JVM starts
 * every chaos scenario and is SIGKILLed together with its guardian, so its trees are left with no
 * one to stop them. The dry run lists exactly those and stops nothing; the cleanup stops exactly
 * those, and removes the dead supervisor's cgroup (with its session cgroups); the daemon's own
 * sessions are never touched.
 */
class OrphanCleanupIT {
    @TempDir
    Path home;
    @TempDir
    Path otherHome;
    private final String prefix = Chaos.newTag("orphans");
    private final String activeTag = Chaos.newTag("active");

    @AfterEach
    void nothingSurvives() {
        List<String> tags = new ArrayList<>(CrashDriver.SCENARIOS.stream().map(s -> prefix + "-" + s).toList());
        tags.add(activeTag);
        for (String t : tags) {
            int left = Chaos.survivors(t);
            Chaos.reap(t);
            assertThat(left).as("processes tagged %s left after the test", t).isZero();
        }
    }

    private int orphanSurvivors() {
        return CrashDriver.SCENARIOS.stream().mapToInt(s -> Chaos.survivors(prefix + "-" + s)).sum();
    }

    @Test
    void onlyTheOrphansAreStopped(@TempDir Path tmp) throws Exception {
        String deadInstance;
        try (ChildJvm child = ChildJvm.start(CrashDriver.class, Map.of("TETHER_HOME", otherHome.toString()),
                List.of("wait", prefix, tmp.resolve("graceful").toString(), "1"))) {
            String[] started = child.awaitLine("started", Duration.ofSeconds(60)).split(" ");
            deadInstance = started[1];
            await().atMost(Duration.ofSeconds(20)).until(() -> Chaos.survivors(prefix + "-deep-tree") == 121);
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid()), started[2]).inheritIO().start().waitFor();
            child.waitFor(Duration.ofSeconds(10));
        }
        assertThat(orphanSurvivors()).as("the trees outlived their supervisor and its guardian").isGreaterThan(121);
        Map<String, Integer> steadyCounts = new java.util.HashMap<>();
        for (String steady : List.of("deep-tree", "double-fork-setsid", "term-ignorer", "port-holder")) {
            steadyCounts.put(steady, Chaos.survivors(prefix + "-" + steady));
        }

        try (TestDaemon daemon = TestDaemon.start(home)) {
            List<SessionView> active = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                active.add(daemon.client().start(SessionRequest.of("/bin/sh", "-c", "sleep 300 & exec sleep 300")
                        .withEnv("CHAOS_TAG", activeTag).withName("active-" + i)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> Chaos.survivors(activeTag) == 10);

            OrphanCleanup preview = daemon.client().cleanupOrphans(true);
            assertThat(preview.dryRun()).isTrue();
            assertThat(preview.activeSessions()).isEqualTo(5);
            assertThat(preview.killedCount()).isEqualTo(preview.killed().size()).isPositive();
            assertThat(preview.killed()).extracting(KilledProcess::session).doesNotContainAnyElementsOf(
                    active.stream().map(SessionView::id).toList());
            for (String steady : List.of("deep-tree", "double-fork-setsid", "term-ignorer", "port-holder")) {
                assertThat(Chaos.survivors(prefix + "-" + steady)).as("a dry run stops nothing of %s", steady)
                        .isEqualTo(steadyCounts.get(steady));
            }
            assertThat(Chaos.survivors(prefix + "-fork-bomb-lite")).as("the fork storm still runs").isPositive();

            OrphanCleanup done = daemon.client().cleanupOrphans(false);
            assertThat(done.dryRun()).isFalse();
            assertThat(done.killedCount()).isPositive();
            assertThat(done.activeSessions()).isEqualTo(5);
            assertThat(orphanSurvivors()).as("every orphan stopped").isZero();
            assertThat(Leaks.ofInstance(deadInstance)).isEmpty();
            LinuxPlatform.instanceCgroup(deadInstance).ifPresent(cg ->
                    assertThat(cg).as("the dead supervisor's cgroup, with its session cgroups").doesNotExist());
            assertThat(Chaos.survivors(activeTag)).as("the daemon's sessions untouched").isEqualTo(10);
            assertThat(active).allSatisfy(s -> assertThat(daemon.client().session(s.id()).state()).isEqualTo(SessionState.RUNNING));
            assertThat(daemon.client().metrics()).containsPattern("tether_orphans_cleaned_total [1-9]");
        }
        assertThat(Chaos.survivors(activeTag)).as("closing the daemon stopped its sessions").isZero();
    }
}
