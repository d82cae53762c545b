package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.testkit.Chaos;
import dev.tether.testkit.Leaks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every chaos scenario, started through the API and stopped with {@link Session#stop()}, at every
 * containment level this machine gives: afterwards the kit's own probes find no survivor, no
 * zombie, and the port free.
 */
class ChaosScenariosIT {
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private final List<String> tags = new ArrayList<>();
    private final List<String> instances = new ArrayList<>();

    @TempDir
    Path tmp;


    private Supervisor open(Containment level) {
        Supervisor s = Supervisor.builder().containment(level).shutdownHook(false).open();
        instances.add(s.instanceId());
        return s;
    }

    private String tag(String what) {
        String t = Chaos.newTag(what);
        tags.add(t);
        return t;
    }

    private static ProcessSpec spec(List<String> argv, Duration grace) {
        return ProcessSpec.builder(argv).grace(grace).stdout(Stdio.discard()).stderr(Stdio.discard()).build();
    }

    @AfterEach
    void nothingSurvives() {
        for (String t : tags) {
            int left = Chaos.survivors(t);
            Chaos.reap(t);
            assertThat(left).as("processes tagged %s left after the test", t).isZero();
        }
        for (String id : instances) {
            assertThat(Leaks.ofInstance(id)).as("processes of supervisor %s left after the test", id).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containment.class)
    void deepTree(Containment level) {
        TestLevels.assumeAvailable(level);
        String tag = tag("deep");
        try (Supervisor sup = open(level)) {
            Session s = sup.start(spec(Chaos.command("deep-tree", tag), Duration.ofSeconds(5)));
            await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 121);
            StopReport r = s.stop();
            assertThat(Chaos.survivors(tag)).isZero();
            assertThat(r.signalled()).isGreaterThanOrEqualTo(121);
            assertThat(r.killed()).isZero();
            assertThat(r.exit().shellStatus()).as("main killed by SIGTERM").isEqualTo(128 + Signal.TERM.number());
            if (level != Containment.PORTABLE) {
                assertThat(r.exit()).isEqualTo(new Exit.Signalled(Signal.TERM));
            }
            assertThat(s.state()).isEqualTo(SessionState.STOPPED);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containment.class)
    void doubleForkSetsidEscapee(Containment level) {
        TestLevels.assumeAvailable(level);
        String tag = tag("dfs");
        try (Supervisor sup = open(level)) {
            Session s = sup.start(spec(Chaos.command("double-fork-setsid", tag), Duration.ofSeconds(5)));
            await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 2);
            assertThat(s.members()).hasSize(2);
            s.stop();
            assertThat(Chaos.survivors(tag)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containment.class)
    void termIgnorerIsKilledRightAfterItsGrace(Containment level) {
        TestLevels.assumeAvailable(level);
        String tag = tag("ign");
        Duration grace = Duration.ofSeconds(1);
        try (Supervisor sup = open(level)) {
            Session s = sup.start(spec(Chaos.command("term-ignorer", tag), grace));
            await().atMost(SETTLE).until(() -> Chaos.survivors(tag) == 2);
            StopReport r = s.stop();
            assertThat(Chaos.survivors(tag)).isZero();
            assertThat(r.killed()).isGreaterThanOrEqualTo(1);
            assertThat(r.graceful()).isFalse();
            assertThat(r.elapsed()).isGreaterThanOrEqualTo(grace).isLessThan(grace.plusSeconds(1));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containment.class)
    void portHolderReleasesItsPort(Containment level) {
        TestLevels.assumeAvailable(level);
        String tag = tag("port");
        int port = Chaos.freePort();
        try (Supervisor sup = open(level)) {
            Session s = sup.start(spec(Chaos.command("port-holder", tag, port), Duration.ofSeconds(5)));
            await().atMost(SETTLE).until(() -> Chaos.portHeld(port));
            s.stop();
            assertThat(Chaos.survivors(tag)).isZero();
            assertThat(Chaos.portFree(port)).as("port %d bindable after stop", port).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containment.class)
    void zombieMakerLeavesNoZombies(Containment level) {
        TestLevels.assumeAvailable(level);
        String tag = tag("zomb");
        try (Supervisor sup = open(level)) {
            Session s = sup.start(spec(Chaos.command("zombie-maker", tag, 10), Duration.ofSeconds(5)));
            await().atMost(SETTLE).until(() -> Chaos.zombies(tag) == 10);
            s.stop();
            assertThat(Chaos.survivors(tag)).isZero();
            assertThat(Chaos.zombies(tag)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containment.class)
    void slowGracefulGetsItsGracePeriod(Containment level) throws Exception {
        TestLevels.assumeAvailable(level);
        String tag = tag("slow");
        Path marker = tmp.resolve("graceful-" + tag);
        try (Supervisor sup = open(level)) {
            Session s = sup.start(spec(Chaos.command("slow-graceful", tag, marker), Duration.ofSeconds(6)));
            await().atMost(SETTLE).until(() -> Chaos.survivors(tag) >= 2);
            StopReport r = s.stop();
            assertThat(marker).as("slow-graceful wrote its marker: the grace period was honoured").exists();
            assertThat(Files.readString(marker)).startsWith("flushed by pid");
            assertThat(r.killed()).isZero();
            assertThat(r.exit()).isEqualTo(new Exit.Exited(0));
            assertThat(Chaos.survivors(tag)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Containment.class)
    void forkBombLiteIsStoppedForGood(Containment level) {
        TestLevels.assumeAvailable(level);
        String tag = tag("bomb");
        try (Supervisor sup = open(level)) {
            Session s = sup.start(spec(Chaos.command("fork-bomb-lite", tag), Duration.ofSeconds(2)));
            await().atMost(SETTLE).until(() -> Chaos.survivors(tag) >= 20);
            StopReport r = s.stop();
            assertThat(r.clean()).isTrue();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> Chaos.survivors(tag) == 0);
        }
    }

}
