package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionView;
import dev.tether.testkit.Chaos;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's log goes once neither the daemon (in memory) nor the registry (by its retention)
 * keeps the session; the log of a live session, or of an ended one still in memory, stays.
 */
class LogRetentionIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    @TempDir
    Path tmp;
    private final String tag = Chaos.newTag("logkeep");
    private TestDaemon daemon;

    @AfterEach
    void nothingSurvives() {
        if (daemon != null) {
            daemon.close();
            assertThat(daemon.leftovers()).isEmpty();
        }
        int left = Chaos.survivors(tag);
        Chaos.reap(tag);
        assertThat(left).isZero();
    }

    private static boolean ended(TestDaemon d, String id) {
        return d.client().session(id).state().isTerminal();
    }

    @Test
    void aLogGoesWithTheLastRecordOfItsSession() throws Exception {
        Path home = tmp.resolve("home");
        Path link;
        Path file;
        try (TestDaemon first = TestDaemon.start(home)) {
            SessionView s = first.client().start(SessionRequest.of("/bin/sh", "-c", "echo bye").withEnv("CHAOS_TAG", tag));
            await().atMost(WAIT).until(() -> ended(first, s.id()));
            link = home.resolve("logs").resolve(s.id() + ".log");
            assertThat(link).isSymbolicLink();
            file = link.resolveSibling(Files.readSymbolicLink(link));
            assertThat(Files.readString(file)).contains("bye");
        }

        // The next daemon on the home keeps no ended row: the first session is in neither memory nor registry.
        daemon = TestDaemon.start(home, Map.of("grace", "2s", "keep_ended", "0", "reconcile_interval", "200ms"));
        SessionView live = daemon.client().start(SessionRequest.of("sleep", "300").withEnv("CHAOS_TAG", tag));
        SessionView done = daemon.client().start(SessionRequest.of("/bin/sh", "-c", "echo here").withEnv("CHAOS_TAG", tag));
        await().atMost(WAIT).until(() -> ended(daemon, done.id()));

        await().atMost(WAIT).until(() -> !Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertThat(file).as("the log file the link pointed to").doesNotExist();
        var registry = daemon.daemon().supervisor().registry().orElseThrow();
        await().atMost(WAIT).until(() -> registry.session(done.id()).isEmpty()); // pruned: ended, and keep_ended is 0
        Path liveLog = home.resolve("logs").resolve(live.id() + ".log");
        Path doneLog = home.resolve("logs").resolve(done.id() + ".log");
        // Over several reconciliations (every 200 ms), both stay: one session lives, the other is still in memory.
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> Files.exists(liveLog) && Files.exists(doneLog));
        assertThat(Files.readString(doneLog)).contains("here");
    }
}
