package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tether.client.SessionQuery;
import dev.tether.client.TetherApiException;
import dev.tether.client.api.DirChoice;
import dev.tether.client.api.PortChoice;
import dev.tether.client.api.ReadyCheck;
import dev.tether.client.api.SessionList;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.testkit.Chaos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sessions API over real HTTP against real processes: every chaos scenario started by
 * {@code POST /sessions} and stopped by {@code DELETE}, with the kit's probes proving nothing is
 * left; readiness probes; logs; activity; filters.
 */
class SessionsApiIT {
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @TempDir
    static Path home;
    static TestDaemon daemon;
    private final List<String> tags = new ArrayList<>();

    @BeforeAll
    static void startDaemon() {
        daemon = TestDaemon.start(home);
    }

    @AfterAll
    static void stopDaemon() {
        daemon.close();
        assertThat(daemon.leftovers()).as("processes of the daemon's instance after it closed").isEmpty();
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

    private static SessionView stop(SessionView s) {
        SessionView stopped = daemon.client().stop(s.id());
        assertThat(stopped.state()).isEqualTo(SessionState.STOPPED);
        assertThat(stopped.pid()).as("no pid once nothing runs").isNull();
        assertThat(stopped.lastStop()).isNotNull();
        assertThat(stopped.lastStop().survivors()).isZero();
        return stopped;
    }

    @Test
    void deepTreeIsGoneAfterDelete() {
        String tag = tag("deep");
        SessionView s = daemon.client().start(SessionRequest.of(Chaos.command("deep-tree", tag)).withName("deep"));
        assertThat(s.state()).isEqualTo(SessionState.RUNNING);
        assertThat(s.pid()).isPositive();
        assertThat(s.owned()).isTrue();
        await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 121);
        SessionView detail = daemon.client().session(s.id());
        assertThat(count(detail.processes())).as("the live tree the daemon reports").isEqualTo(121);
        assertThat(detail.usage().processes()).isEqualTo(121);
        assertThat(detail.usage().rssBytes()).isPositive();
        SessionView stopped = stop(s);
        assertThat(stopped.lastStop().signalled()).isGreaterThanOrEqualTo(121);
        assertThat(stopped.lastStop().graceful()).isTrue();
        assertThat(Chaos.survivors(tag)).isZero();
        assertThat(Chaos.zombies(tag)).isZero();
    }

    private static int count(List<dev.tether.client.api.ProcessNode> nodes) {
        return nodes.stream().mapToInt(n -> 1 + count(n.children())).sum();
    }

    @Test
    void doubleForkedSetsidDaemonIsGone() {
        String tag = tag("escapee");
        SessionView s = daemon.client().start(SessionRequest.of(Chaos.command("double-fork-setsid", tag)));
        await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 2);
        stop(s);
        assertThat(Chaos.survivors(tag)).isZero();
    }

    @Test
    void termIgnorerIsKilledAfterItsGrace() {
        String tag = tag("ignorer");
        SessionView s = daemon.client().start(SessionRequest.of(Chaos.command("term-ignorer", tag)).withGrace(Duration.ofMillis(500)));
        await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 2);
        SessionView stopped = stop(s);
        assertThat(stopped.lastStop().killed()).as("needed SIGKILL").isPositive();
        assertThat(stopped.lastStop().graceful()).isFalse();
        assertThat(stopped.lastStop().elapsedMs()).isBetween(500L, 5_000L);
        assertThat(Chaos.survivors(tag)).isZero();
    }

    @Test
    void portHolderFreesItsLeasedPort() {
        String tag = tag("port");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "exec \"$0\" \"$1\" \"$PORT\"",
                        Chaos.dir().resolve("port-holder").toString(), tag).withPort(PortChoice.any())
                .withReady(ReadyCheck.tcp(Duration.ofSeconds(20))));
        assertThat(s.port()).isNotNull();
        assertThat(Chaos.portFree(s.port())).as("held while the session runs").isFalse();
        stop(s);
        assertThat(Chaos.survivors(tag)).isZero();
        assertThat(Chaos.portFree(s.port())).as("bindable after the stop").isTrue();
    }

    @Test
    void zombieMakerLeavesNoZombie() {
        String tag = tag("zombie");
        SessionView s = daemon.client().start(SessionRequest.of(Chaos.command("zombie-maker", tag)));
        await().atMost(SETTLE).until(() -> Chaos.zombies(tag) == 10);
        stop(s);
        assertThat(Chaos.survivors(tag)).isZero();
        assertThat(Chaos.zombies(tag)).isZero();
    }

    @Test
    void slowGracefulGetsItsGrace(@TempDir Path tmp) {
        String tag = tag("graceful");
        Path marker = tmp.resolve("graceful.marker");
        SessionView s = daemon.client().start(SessionRequest.of(Chaos.command("slow-graceful", tag, marker))
                .withGrace(Duration.ofSeconds(10)));
        await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 2);
        SessionView stopped = stop(s);
        assertThat(marker).as("the graceful exit finished before any SIGKILL").exists();
        assertThat(stopped.lastStop().killed()).isZero();
        assertThat(Chaos.survivors(tag)).isZero();
    }

    @Test
    void forkBombIsStoppedWhileItForks() {
        String tag = tag("forks");
        SessionView s = daemon.client().start(SessionRequest.of(Chaos.command("fork-bomb-lite", tag)));
        await().atMost(SETTLE).until(() -> Chaos.survivors(tag) > 20);
        stop(s);
        assertThat(Chaos.survivors(tag)).isZero();
    }

    @Test
    void forceSkipsTheGrace() {
        String tag = tag("force");
        SessionView s = daemon.client().start(SessionRequest.of(Chaos.command("term-ignorer", tag)).withGrace(Duration.ofSeconds(60)));
        await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 2);
        SessionView stopped = daemon.client().stop(s.id(), true);
        assertThat(stopped.state()).isEqualTo(SessionState.STOPPED);
        assertThat(stopped.lastStop().elapsedMs()).as("no 60 s grace").isLessThan(10_000L);
        assertThat(Chaos.survivors(tag)).isZero();
    }

    @Test
    void sessionDirectoryIsMadeExportedAndRemoved() {
        String tag = tag("dir");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "echo hello > \"$TETHER_SESSION_DIR/f\"; exec sleep 300")
                .withEnv("CHAOS_TAG", tag).withSessionDir(DirChoice.byId()));
        assertThat(s.directory()).isNotNull();
        Path dir = Path.of(s.directory());
        await().atMost(SETTLE).until(() -> Files.exists(dir.resolve("f")));
        stop(s);
        assertThat(dir).doesNotExist();
    }

    @Test
    void logsKeepStdoutAndStderrAndTailThem() {
        String tag = tag("logs");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c",
                        "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done; echo ready; exec sleep 300")
                .withEnv("CHAOS_TAG", tag).withReady(ReadyCheck.log("^ready$", Duration.ofSeconds(10))));
        String all = daemon.client().logs(s.id(), 100);
        assertThat(all).contains("out1", "err1", "out5", "err5", "ready");
        assertThat(daemon.client().logs(s.id(), 1)).isEqualTo("ready\n");
        stop(s);
        assertThat(daemon.client().logs(s.id(), 2)).as("still there after the end").contains("ready");
    }

    @Test
    void followStreamsUntilTheSessionEnds() {
        String tag = tag("follow");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "echo one; sleep 1; echo two; sleep 1; echo three")
                .withEnv("CHAOS_TAG", tag));
        List<String> seen = new ArrayList<>();
        daemon.client().followLogs(s.id(), 10, seen::add);
        assertThat(seen).containsExactly("one", "two", "three");
        assertThat(daemon.client().session(s.id()).state()).isEqualTo(SessionState.EXITED);
    }

    @Test
    void failedReadinessStopsTheTreeAndSaysWhyWithTheLogTail() {
        String tag = tag("notready");
        assertThatThrownBy(() -> daemon.client().start(SessionRequest.of("/bin/sh", "-c", "echo starting up; sleep 300 & exec sleep 300")
                .withEnv("CHAOS_TAG", tag).withName("never-ready").withPort(PortChoice.any())
                .withReady(ReadyCheck.tcp(Duration.ofMillis(700)))))
                .isInstanceOfSatisfying(TetherApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.code()).isEqualTo("not_ready");
                    assertThat(e.reason()).contains("never-ready").contains("700ms").contains("stopped");
                    assertThat(e.logTail()).contains("starting up");
                });
        assertThat(Chaos.survivors(tag)).isZero();
        SessionList failed = daemon.client().sessions(SessionQuery.everything().named("never-ready"));
        assertThat(failed.sessions()).singleElement().satisfies(v -> assertThat(v.state()).isEqualTo(SessionState.FAILED));
    }

    @Test
    void httpProbeWaitsForA2xx() {
        String tag = tag("http");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "sleep 1; exec python3 -m http.server --bind 127.0.0.1 \"$PORT\"")
                .withEnv("CHAOS_TAG", tag).withPort(PortChoice.any()).withReady(ReadyCheck.http("/", Duration.ofSeconds(20))));
        assertThat(s.state()).isEqualTo(SessionState.RUNNING);
        assertThat(daemon.client().port(s.port()).holders()).singleElement().satisfies(h -> {
            assertThat(h.session()).isEqualTo(s.id());
            assertThat(h.command()).contains("http.server");
        });
        stop(s);
        // The probe's connection leaves the server side in TIME_WAIT, so a bind without SO_REUSEADDR
        // may still fail for a minute; what matters is that nobody holds the port any more.
        assertThat(daemon.client().port(s.port()).holders()).isEmpty();
    }

    @Test
    void activityResetsIdleTime() {
        String tag = tag("activity");
        SessionView s = daemon.client().start(SessionRequest.of("sleep", "300").withEnv("CHAOS_TAG", tag));
        await().atMost(SETTLE).until(() -> daemon.client().session(s.id()).idleMs() >= 300);
        SessionView touched = daemon.client().activity(s.id());
        assertThat(touched.idleMs()).isLessThan(300);
        assertThat(touched.lastActivity()).isAfter(s.lastActivity());
        stop(s);
        assertThatThrownBy(() -> daemon.client().activity(s.id()))
                .isInstanceOfSatisfying(TetherApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void listFiltersByStateNameAndTag() {
        String tag = tag("filters");
        SessionView a = daemon.client().start(SessionRequest.of("sleep", "300").withEnv("CHAOS_TAG", tag).withName("alpha").withTags("red"));
        SessionView b = daemon.client().start(SessionRequest.of("sleep", "300").withEnv("CHAOS_TAG", tag).withName("beta").withTags("blue"));
        assertThat(ids(daemon.client().sessions(SessionQuery.live().named("alpha")))).containsExactly(a.id());
        assertThat(ids(daemon.client().sessions(SessionQuery.live().tagged("blue")))).containsExactly(b.id());
        stop(a);
        assertThat(ids(daemon.client().sessions())).contains(b.id()).doesNotContain(a.id());
        assertThat(ids(daemon.client().sessions(SessionQuery.live().inState(SessionState.STOPPED)))).contains(a.id()).doesNotContain(b.id());
        assertThat(ids(daemon.client().sessions(SessionQuery.everything()))).contains(a.id(), b.id());
        stop(b);
    }

    @Test
    void listIsGzippedForClientsThatAcceptItAndShowsWritesAtOnce() throws Exception {
        String tag = tag("gzip");
        SessionView s = daemon.client().start(SessionRequest.of("sleep", "300").withEnv("CHAOS_TAG", tag).withName("zipped"));
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(daemon.url() + "/sessions"))
                .header("Authorization", "Bearer " + daemon.token()).header("Accept-Encoding", "gzip").GET().build();
        var r = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String json = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).contains(s.id()).contains("\"zipped\"");
        stop(s);
        assertThat(ids(daemon.client().sessions())).as("the stop is seen by the very next listing").doesNotContain(s.id());
    }

    private static List<String> ids(SessionList l) {
        return l.sessions().stream().map(SessionView::id).toList();
    }

    @Test
    void mainExitStopsWhatItLeftBehind() {
        String tag = tag("leftbehind");
        SessionView s = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "setsid sleep 300 & sleep 0.5; exit 3")
                .withEnv("CHAOS_TAG", tag));
        await().atMost(SETTLE).until(() -> daemon.client().session(s.id()).state() == SessionState.EXITED);
        SessionView ended = daemon.client().session(s.id());
        assertThat(ended.exit().kind()).isEqualTo("exited");
        assertThat(ended.exit().code()).isEqualTo(3);
        assertThat(ended.lastStop().reason()).isEqualTo("MAIN_EXITED");
        assertThat(Chaos.survivors(tag)).isZero();
    }
}
