package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.client.api.ReadyCheck;
import dev.tether.client.api.RestartPolicy;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.testkit.Chaos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart policies and idle culling with short durations: a failing main process is restarted
 * with growing backoff until its limit, then {@code FAILED}; a clean exit or a requested stop is
 * not restarted; a session without activity for its idle timeout is stopped and {@code CULLED}.
 * Whatever each run left behind is gone before the next one starts.
 */
class RestartAndCullIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path home;
    static TestDaemon daemon;
    private final List<String> tags = new ArrayList<>();

    @BeforeAll
    static void start() {
        daemon = TestDaemon.start(home);
    }

    @AfterAll
    static void stop() {
        daemon.close();
        assertThat(daemon.leftovers()).isEmpty();
    }

    @AfterEach
    void nothingSurvives() {
        for (String t : tags) {
            int left = Chaos.survivors(t);
            Chaos.reap(t);
            assertThat(left).as("processes tagged %s left after the test", t).isZero();
        }
    }

    private String tag(String what) {
        String t = Chaos.newTag(what);
        tags.add(t);
        return t;
    }

    private static SessionState state(String id) {
        return daemon.client().session(id).state();
    }

    @Test
    void failingMainIsRestartedWithBackoffThenFailed(@TempDir Path tmp) throws Exception {
        String tag = tag("restart");
        Path runs = tmp.resolve("runs");
        // Each run leaves a setsid escapee behind and fails: it must be gone before the next run.
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c",
                        "date +%s%N >> \"$0\"; setsid sleep 300 & sleep 0.2; exit 7", runs.toString())
                .withEnv("CHAOS_TAG", tag).withRestart(RestartPolicy.onFailure(2, Duration.ofMillis(300))));
        await().atMost(WAIT).until(() -> state(s.id()) == SessionState.FAILED);
        SessionView failed = daemon.client().session(s.id());
        assertThat(failed.restart().restarts()).isEqualTo(2);
        assertThat(failed.runs()).hasSize(3);
        assertThat(failed.exit().code()).isEqualTo(7);
        List<Long> starts = Files.readAllLines(runs).stream().map(Long::parseLong).toList();
        assertThat(starts).hasSize(3);
        long firstGap = (starts.get(1) - starts.get(0)) / 1_000_000;
        long secondGap = (starts.get(2) - starts.get(1)) / 1_000_000;
        assertThat(firstGap).as("first backoff (ms) after a 200 ms run").isGreaterThanOrEqualTo(500);
        assertThat(secondGap).as("second backoff doubled (ms)").isGreaterThanOrEqualTo(800);
        assertThat(Chaos.survivors(tag)).as("no run's escapee survived").isZero();
        String metrics = daemon.client().metrics();
        assertThat(metrics).containsPattern("tether_restarts_total [1-9]");
    }

    @Test
    void cleanExitIsNotRestarted() {
        String tag = tag("clean");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "sleep 0.2; exit 0")
                .withEnv("CHAOS_TAG", tag).withRestart(RestartPolicy.onFailure(3, Duration.ofMillis(100))));
        await().atMost(WAIT).until(() -> state(s.id()) == SessionState.EXITED);
        SessionView ended = daemon.client().session(s.id());
        assertThat(ended.restart().restarts()).isZero();
        assertThat(ended.runs()).hasSize(1);
    }

    @Test
    void stopDuringBackoffCancelsTheRestart() {
        String tag = tag("backoff");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "exit 1")
                .withEnv("CHAOS_TAG", tag).withRestart(RestartPolicy.onFailure(5, Duration.ofSeconds(30))));
        await().atMost(WAIT).until(() -> state(s.id()) == SessionState.RESTARTING);
        assertThat(daemon.client().session(s.id()).restart().nextAt()).isAfter(Instant.now());
        SessionView stopped = daemon.client().stop(s.id());
        assertThat(stopped.state()).isEqualTo(SessionState.STOPPED);
        assertThat(stopped.runs()).hasSize(1);
    }

    @Test
    void restartedRunGetsANewProcessAndKeepsTheId() {
        String tag = tag("rerun");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "echo up; sleep 0.5; exit 2")
                .withEnv("CHAOS_TAG", tag).withRestart(RestartPolicy.onFailure(1, Duration.ofMillis(100)))
                .withReady(ReadyCheck.log("^up$", Duration.ofSeconds(10))));
        await().atMost(WAIT).until(() -> daemon.client().session(s.id()).runs().size() == 2);
        SessionView second = daemon.client().session(s.id());
        assertThat(second.id()).isEqualTo(s.id());
        assertThat(second.runs().getFirst()).isEqualTo(s.id());
        await().atMost(WAIT).until(() -> state(s.id()) == SessionState.FAILED);
        assertThat(daemon.client().session(second.runs().get(1)).id()).as("a run's id finds the session").isEqualTo(s.id());
    }

    @Test
    void idleSessionIsCulledAndActivityKeepsOneAlive() {
        String tag = tag("idle");
        SessionView idle = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "sleep 300 & exec sleep 300")
                .withEnv("CHAOS_TAG", tag).withName("idle").withIdleTimeout(Duration.ofSeconds(1)));
        SessionView busy = daemon.client().start(SessionRequest.of("sleep", "300")
                .withEnv("CHAOS_TAG", tag).withName("busy").withIdleTimeout(Duration.ofSeconds(3)));
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            daemon.client().activity(busy.id());
            return state(idle.id()) == SessionState.CULLED && System.nanoTime() > until;
        });
        SessionView culled = daemon.client().session(idle.id());
        assertThat(culled.lastStop().reason()).isEqualTo("IDLE");
        assertThat(state(busy.id())).as("activity kept it alive past its 3 s timeout").isEqualTo(SessionState.RUNNING);
        assertThat(daemon.client().metrics()).containsPattern("tether_culls_total [1-9]");
        daemon.client().stop(busy.id());
        assertThat(Chaos.survivors(tag)).isZero();
    }
}
