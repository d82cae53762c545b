package dev.tether.registry;

import static dev.tether.registry.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.Signal;
import dev.tether.StopReason;
import dev.tether.StopReport;
import dev.tether.TetherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryRoundTripTest {
    @TempDir
    Path dir;
    Registry registry;

    @BeforeEach
    void open() {
        registry = Registry.open(Fixtures.dbIn(dir));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void instanceRoundTripsAndEndsOnce() {
        InstanceRecord a = Fixtures.instance("inst-a");
        registry.recordInstance(a);
        assertThat(registry.instance("inst-a")).contains(a);

        assertThat(registry.markInstanceEnded("inst-a", T0.plusSeconds(60))).isTrue();
        assertThat(registry.markInstanceEnded("inst-a", T0.plusSeconds(99))).isFalse();
        assertThat(registry.instance("inst-a").orElseThrow().endedAt()).contains(T0.plusSeconds(60));
        assertThat(registry.markInstanceEnded("no-such", T0)).isFalse();
    }

    @Test
    void instancesFilterByEndAndHost() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        InstanceRecord b = Fixtures.instance("inst-b");
        registry.recordInstance(new InstanceRecord("inst-b", b.process(), "host-b", "bob", T0.plusSeconds(1),
                Optional.empty()));
        registry.markInstanceEnded("inst-a", T0.plusSeconds(2));

        assertThat(registry.instances(InstanceFilter.all())).extracting(InstanceRecord::id)
                .containsExactly("inst-a", "inst-b");
        assertThat(registry.instances(InstanceFilter.notEnded())).extracting(InstanceRecord::id)
                .containsExactly("inst-b");
        assertThat(registry.instances(InstanceFilter.all().onHost("host-a"))).extracting(InstanceRecord::id)
                .containsExactly("inst-a");
        assertThat(registry.instances(InstanceFilter.notEnded().onHost("host-a"))).isEmpty();
    }

    @Test
    void intentRoundTripsWithEveryOptionalField() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        Set<String> tags = new LinkedHashSet<>(List.of("web", "tenant=\"acme\"", "ünïcødé\\path\n"));
        SessionIntent intent = new SessionIntent("s1", "inst-a", "web", List.of("sh", "-c", "echo \"hi\"\t$HOME"),
                Path.of("/srv/app"), tags, "TETHER_SESSION=s1", OptionalInt.of(8000),
                Optional.of(Path.of("/tmp/tether/s1")), Optional.of("/sys/fs/cgroup/tether/s1"), T0);
        registry.insertSessionIntent(intent);

        SessionRecord r = registry.session("s1").orElseThrow();
        assertThat(r).isEqualTo(new SessionRecord(intent, SessionState.STARTING, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), T0));
        assertThat(List.copyOf(r.intent().tags())).containsExactlyElementsOf(tags);
        assertThat(registry.leasedPorts()).containsExactly(new PortLease(8000, "s1", "inst-a", T0));
    }

    @Test
    void sessionGoesFromIntentToRunningToEndedWithItsStopReport() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        registry.insertSessionIntent(Fixtures.intentWithPort("s1", "inst-a", 8001));
        ProcessId main = new ProcessId(Fixtures.BOOT, 777, 123_456L);

        assertThat(registry.markSessionRunning("s1", main, T0.plusSeconds(1))).isTrue();
        assertThat(registry.markSessionRunning("s1", main, T0.plusSeconds(1))).as("only from STARTING").isFalse();
        assertThat(registry.touchActivity("s1", T0.plusSeconds(5))).isTrue();
        assertThat(registry.touchActivity("s1", T0.plusSeconds(3))).as("never moves back").isTrue();
        assertThat(registry.markSessionStopping("s1")).isTrue();

        StopReport report = new StopReport(new Exit.Signalled(Signal.TERM), 3, 1, 0, Duration.ofNanos(1_234_567_891L),
                StopReason.REQUESTED);
        assertThat(registry.markSessionEnded("s1", SessionState.STOPPED, report, T0.plusSeconds(9))).isTrue();
        assertThat(registry.markSessionEnded("s1", SessionState.LOST, report, T0.plusSeconds(10)))
                .as("the first end wins").isFalse();

        SessionRecord r = registry.session("s1").orElseThrow();
        assertThat(r.state()).isEqualTo(SessionState.STOPPED);
        assertThat(r.main()).contains(main);
        assertThat(r.startedAt()).contains(T0.plusSeconds(1));
        assertThat(r.endedAt()).contains(T0.plusSeconds(9));
        assertThat(r.lastActivity()).isEqualTo(T0.plusSeconds(5));
        assertThat(r.exit()).contains(new Exit.Signalled(Signal.TERM));
        assertThat(r.stopReport()).contains(report);
        assertThat(r.isLive()).isFalse();
        assertThat(registry.leasedPorts()).as("ending releases the session's ports").isEmpty();
        assertThat(registry.touchActivity("s1", T0.plusSeconds(11))).isFalse();
    }

    @Test
    void everyExitVariantRoundTrips() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        List<Exit> exits = List.of(new Exit.Exited(0), new Exit.Exited(255), new Exit.Signalled(Signal.KILL),
                new Exit.Signalled(Signal.SEGV, true), new Exit.Signalled(Signal.of(40)),
                new Exit.Unknown("supervisor died"));
        for (int i = 0; i < exits.size(); i++) {
            String id = "s" + i;
            registry.insertSessionIntent(Fixtures.intent(id, "inst-a"));
            registry.markSessionEnded(id, SessionState.EXITED, Optional.of(exits.get(i)), Optional.empty(), T0);
            assertThat(registry.session(id).orElseThrow().exit()).contains(exits.get(i));
            assertThat(registry.session(id).orElseThrow().lastStop()).isEmpty();
        }

        registry.insertSessionIntent(Fixtures.intent("failed", "inst-a"));
        registry.markSessionEnded("failed", SessionState.FAILED,
                Optional.of(new Exit.SpawnFailed(new TetherException("cannot start nope: No such file (ENOENT)"))),
                Optional.empty(), T0);
        Exit back = registry.session("failed").orElseThrow().exit().orElseThrow();
        assertThat(back).isInstanceOfSatisfying(Exit.SpawnFailed.class, f ->
                assertThat(f.cause()).hasMessage("cannot start nope: No such file (ENOENT)"));
        assertThat(back.shellStatus()).isEqualTo(127);
    }

    @Test
    void endingWithoutExitOrFindingsRecordsNeither() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        registry.insertSessionIntent(Fixtures.intent("s1", "inst-a"));
        StopFindings findings = new StopFindings(2, 0, 0, Duration.ofMillis(15), StopReason.SUPERVISOR_DIED);
        registry.markSessionEnded("s1", SessionState.LOST, Optional.empty(), Optional.of(findings), T0);

        SessionRecord r = registry.session("s1").orElseThrow();
        assertThat(r.exit()).isEmpty();
        assertThat(r.lastStop()).contains(findings);
        assertThat(r.stopReport().orElseThrow().exit()).isInstanceOf(Exit.Unknown.class);
    }

    @Test
    void endingNeedsATerminalState() {
        assertThatThrownBy(() -> registry.markSessionEnded("s1", SessionState.RUNNING, Optional.empty(),
                Optional.empty(), T0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("terminal");
    }

    @Test
    void failedSpawnLeavesNoRowAndNoLease() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        registry.insertSessionIntent(Fixtures.intentWithPort("s1", "inst-a", 9000));

        assertThat(registry.deleteSessionIntent("s1")).isTrue();
        assertThat(registry.session("s1")).isEmpty();
        assertThat(registry.leasedPorts()).isEmpty();

        registry.insertSessionIntent(Fixtures.intent("s2", "inst-a"));
        registry.markSessionRunning("s2", new ProcessId(Fixtures.BOOT, 5, 6), T0);
        assertThat(registry.deleteSessionIntent("s2")).as("a running session is not an intent").isFalse();
        assertThat(registry.session("s2")).isPresent();
    }

    @Test
    void intentNeedsARecordedInstanceAndAFreshId() {
        assertThatThrownBy(() -> registry.insertSessionIntent(Fixtures.intent("s1", "nobody")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("instance nobody is not recorded");
        registry.recordInstance(Fixtures.instance("inst-a"));
        registry.insertSessionIntent(Fixtures.intent("s1", "inst-a"));
        assertThatThrownBy(() -> registry.insertSessionIntent(Fixtures.intent("s1", "inst-a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("session s1").hasMessageContaining("already recorded");
    }

    @Test
    void sessionsFilterByStateInstanceNameAndTag() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        registry.recordInstance(Fixtures.instance("inst-b"));
        registry.insertSessionIntent(Fixtures.intent("s1", "inst-a"));
        registry.insertSessionIntent(Fixtures.intent("s2", "inst-a"));
        SessionIntent tagged = Fixtures.intent("s3", "inst-b");
        registry.insertSessionIntent(new SessionIntent("s3", "inst-b", "worker", tagged.argv(), tagged.cwd(),
                Set.of("batch", "nightly"), tagged.marker(), OptionalInt.empty(), Optional.empty(), Optional.empty(),
                T0.plusSeconds(1)));
        registry.markSessionRunning("s2", new ProcessId(Fixtures.BOOT, 10, 11), T0);
        registry.markSessionEnded("s1", SessionState.STOPPED, Optional.of(new Exit.Exited(0)), Optional.empty(), T0);

        assertThat(ids(registry.sessions(SessionFilter.all()))).containsExactly("s1", "s2", "s3");
        assertThat(ids(registry.liveSessions())).containsExactly("s2", "s3");
        assertThat(ids(registry.sessions(SessionFilter.all().inStates(SessionState.STOPPED, SessionState.RUNNING))))
                .containsExactly("s1", "s2");
        assertThat(ids(registry.sessions(SessionFilter.all().ofInstance("inst-a")))).containsExactly("s1", "s2");
        assertThat(ids(registry.sessions(SessionFilter.live().ofInstance("inst-a")))).containsExactly("s2");
        assertThat(ids(registry.sessions(SessionFilter.all().named("worker")))).containsExactly("s3");
        assertThat(ids(registry.sessions(SessionFilter.all().taggedWith("nightly")))).containsExactly("s3");
        assertThat(ids(registry.sessions(SessionFilter.all().taggedWith("web")))).containsExactly("s1", "s2");
        assertThat(ids(registry.sessions(SessionFilter.all().taggedWith("night")))).isEmpty();
    }

    @Test
    void aPortHasOneLeaseAtATime() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        registry.insertSessionIntent(Fixtures.intentWithPort("s1", "inst-a", 8000));
        registry.insertSessionIntent(Fixtures.intent("s2", "inst-a"));

        assertThatThrownBy(() -> registry.leasePort(8000, "s2", T0))
                .isInstanceOfSatisfying(PortLeasedException.class, e ->
                        assertThat(e.holder().sessionId()).isEqualTo("s1"))
                .hasMessageContaining("port 8000 is already leased to session s1")
                .hasMessageContaining("choose another port");
        assertThatThrownBy(() -> registry.insertSessionIntent(Fixtures.intentWithPort("s3", "inst-a", 8000)))
                .isInstanceOf(PortLeasedException.class);
        assertThat(registry.session("s3")).as("a refused intent records nothing").isEmpty();

        assertThat(registry.leasePort(8002, "s2", T0)).isEqualTo(new PortLease(8002, "s2", "inst-a", T0));
        assertThat(registry.leasePort(8003, "s2", T0).port()).isEqualTo(8003);
        assertThat(registry.releasePortsOf("s2")).isEqualTo(2);
        assertThat(registry.releasePort(8000)).isTrue();
        assertThat(registry.releasePort(8000)).isFalse();
        assertThat(registry.leasePort(8000, "s2", T0).sessionId()).isEqualTo("s2");
        assertThat(registry.portLease(8000)).map(PortLease::sessionId).contains("s2");
    }

    @Test
    void onlyALiveSessionMayLeaseAPort() {
        registry.recordInstance(Fixtures.instance("inst-a"));
        registry.insertSessionIntent(Fixtures.intent("s1", "inst-a"));
        registry.markSessionEnded("s1", SessionState.STOPPED, Optional.empty(), Optional.empty(), T0);

        assertThatThrownBy(() -> registry.leasePort(8000, "s1", T0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no live session");
        assertThatThrownBy(() -> registry.leasePort(8000, "ghost", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.leasePort(0, "s1", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.leasedPorts()).isEmpty();
    }

    @Test
    void closedRegistryRefusesWork() {
        registry.close();
        assertThatThrownBy(() -> registry.liveSessions()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    private static List<String> ids(List<SessionRecord> records) {
        return records.stream().map(SessionRecord::id).toList();
    }
}
