package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.client.SessionQuery;
import dev.tether.client.api.PortChoice;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a daemon ends, seen from outside: SIGKILLed with 20 live sessions, its guardian leaves
 * nothing within a second and the next daemon on the home shows them {@code LOST} with their stop
 * reports; SIGTERMed, it stops every session with its grace, releases its PID file and records
 * them {@code STOPPED}.
 */
class DaemonEndingsIT {
    private final List<String> tags = new ArrayList<>();

    @TempDir
    Path home;

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

    private int survivors() {
        return tags.stream().mapToInt(Chaos::survivors).sum();
    }

    @Test
    void sigkillWithTwentySessionsLeavesNothingAndTheNextDaemonShowsThemLost() throws Exception {
        List<String> ids = new ArrayList<>();
        String instance;
        try (ChildDaemon d = ChildDaemon.start(home)) {
            instance = d.instance();
            String[] scenarios = {"deep-tree", "double-fork-setsid", "term-ignorer", "zombie-maker", "fork-bomb-lite"};
            for (int i = 0; i < 20; i++) {
                String scenario = scenarios[i % scenarios.length];
                String tag = tag("kill-" + scenario);
                SessionView s = d.client().start(SessionRequest.of(Chaos.command(scenario, tag)).withName(scenario + "-" + i)
                        .withPort(PortChoice.any()));
                ids.add(s.id());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> survivors() > 200);
            assertThat(d.client().sessions().count()).isEqualTo(20);
            d.signal("KILL");
            d.waitFor(Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> survivors() == 0 && Leaks.ofInstance(instance).isEmpty());
        }
        try (TestDaemon next = TestDaemon.start(home)) {
            List<SessionView> lost = next.client().sessions(SessionQuery.live().inState(SessionState.LOST)).sessions();
            assertThat(lost).extracting(SessionView::id).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(lost).allSatisfy(v -> {
                assertThat(v.owned()).isFalse();
                assertThat(v.instance()).isEqualTo(instance);
                assertThat(v.lastStop()).as("stop report of %s", v.id()).isNotNull();
                assertThat(v.lastStop().reason()).isEqualTo("SUPERVISOR_DIED");
                assertThat(v.lastStop().survivors()).isZero();
                assertThat(v.endedAt()).isNotNull();
            });
            assertThat(next.client().sessions().count()).as("nothing says it is live").isZero();
            assertThat(next.client().health().registry().consistent()).isTrue();
        }
    }

    @Test
    void sigtermStopsEverySessionWithItsGraceAndReleasesTheHome(@TempDir Path tmp) throws Exception {
        String graceful = tag("graceful");
        String ignorer = tag("ignorer");
        String deep = tag("deep");
        Path marker = tmp.resolve("flushed");
        List<String> ids = new ArrayList<>();
        try (ChildDaemon d = ChildDaemon.start(home)) {
            ids.add(d.client().start(SessionRequest.of(Chaos.command("slow-graceful", graceful, marker)).withGrace(Duration.ofSeconds(8))).id());
            ids.add(d.client().start(SessionRequest.of(Chaos.command("term-ignorer", ignorer)).withGrace(Duration.ofSeconds(1))).id());
            ids.add(d.client().start(SessionRequest.of(Chaos.command("deep-tree", deep))).id());
            await().atMost(Duration.ofSeconds(30)).until(() -> Chaos.survivors(deep) == 121 && Chaos.survivors(graceful) == 2);
            assertThat(home.resolve("tether.pid")).exists();
            d.signal("TERM");
            int status = d.waitFor(Duration.ofSeconds(30));
            assertThat(status).as("exit status of a SIGTERMed JVM").isEqualTo(143);
        }
        assertThat(survivors()).isZero();
        assertThat(marker).as("slow-graceful finished its flush inside its grace").exists();
        assertThat(home.resolve("tether.pid")).as("PID file released").doesNotExist();
        try (TestDaemon next = TestDaemon.start(home)) {
            List<SessionView> all = next.client().sessions(SessionQuery.everything()).sessions();
            assertThat(all).extracting(SessionView::id).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(all).allSatisfy(v -> assertThat(v.state()).isEqualTo(SessionState.STOPPED));
            assertThat(all).filteredOn(v -> v.name().equals("term-ignorer")).singleElement()
                    .satisfies(v -> assertThat(v.lastStop().killed()).isPositive());
        }
        assertThat(Files.exists(home.resolve("registry.db"))).isTrue();
    }
}
