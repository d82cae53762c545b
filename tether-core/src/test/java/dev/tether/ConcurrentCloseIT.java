package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several threads closing one supervisor while its sessions run — code, a shutdown hook and a
 * daemon's own hook at once — all return with the same report once nothing lives. (A second
 * closer used to wait while holding the lock the ending sessions need: a deadlock on SIGTERM.)
 */
class ConcurrentCloseIT {
    private final String tag = Chaos.newTag("close");
    private String instance;
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path home;

    @AfterEach
    void nothingSurvives() {
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
        assertThat(Leaks.ofInstance(instance)).isEmpty();
    }

    @Test
    void concurrentClosesAllReturnOnceEverySessionIsStopped() throws Exception {
        Supervisor sup = Supervisor.builder().shutdownHook(false).guardian(false).home(home).open();
        instance = sup.instanceId();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(sup.start(ProcessSpec.builder(Chaos.command("slow-graceful", tag, home.resolve("flushed-" + i), 1))
                    .grace(Duration.ofSeconds(5)).stdout(Stdio.discard()).stderr(Stdio.discard()).build()));
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Chaos.survivors(tag) == 6);
        List<CompletableFuture<CloseReport>> closers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            closers.add(CompletableFuture.supplyAsync(sup::closeAndReport, r -> Thread.ofPlatform().start(r)));
        }
        List<CloseReport> reports = new ArrayList<>();
        for (CompletableFuture<CloseReport> c : closers) {
            reports.add(c.get(30, TimeUnit.SECONDS));
        }
        assertThat(reports).allSatisfy(r -> assertThat(r).isSameAs(reports.getFirst()));
        assertThat(reports.getFirst().clean()).isTrue();
        assertThat(sessions).allSatisfy(s -> assertThat(s.state()).isEqualTo(SessionState.STOPPED));
        assertThat(Chaos.survivors(tag)).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(home.resolve("flushed-" + i)).as("each got its grace").exists();
        }
    }
}
