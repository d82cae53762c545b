package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.Supervisor;
import dev.tether.TetherSettings;
import dev.tether.client.SessionQuery;
import dev.tether.client.api.EmergencyRecovery;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionState;
import dev.tether.client.api.SessionView;
import dev.tether.testkit.Chaos;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emergency recovery stops every session of the daemon and every Tether-marked process of its
 * user — another live supervisor's too — and never an unmarked process, whatever its name and
 * environment look like. History stays in the registry.
 * (It stops every marked process of this user on the machine: run it alone, as CI does.)
 */
class EmergencyRecoveryIT {
    @TempDir
    Path home;
    @TempDir
    Path otherHome;
    private final String tag = Chaos.newTag("emergency");
    private final String otherTag = Chaos.newTag("emergency-other");
    private Process decoy;

    @AfterEach
    void cleanUp() {
        if (decoy != null) {
            decoy.destroyForcibly();
        }
        for (String t : List.of(tag, otherTag)) {
            int left = Chaos.survivors(t);
            Chaos.reap(t);
            assertThat(left).as("processes tagged %s", t).isZero();
        }
    }

    @Test
    void stopsEveryMarkedProcessOfTheUserAndNothingElse() throws Exception {
        // An unmarked process dressed up as Tether's: its name and environment say "tether", its marker is not real.
        decoy = new ProcessBuilder("/bin/sh", "-c", "exec -a tether-session-decoy sleep 300")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        TetherSettings other = TetherSettings.load(Map.of("TETHER_HOME", otherHome.toString()), Map.of());
        try (TestDaemon daemon = TestDaemon.start(home);
             Supervisor elsewhere = Supervisor.builder().settings(other).shutdownHook(false).open()) {
            Session foreign = elsewhere.start(ProcessSpec.builder(Chaos.command("deep-tree", otherTag))
                    .stdout(Stdio.discard()).stderr(Stdio.discard()).build());
            SessionView a = daemon.client().start(SessionRequest.of(Chaos.command("double-fork-setsid", tag)));
            SessionView b = daemon.client().start(SessionRequest.of(Chaos.command("term-ignorer", tag)).withGrace(Duration.ofMillis(300)));
            await().atMost(Duration.ofSeconds(20)).until(() -> Chaos.survivors(tag) == 4 && Chaos.survivors(otherTag) == 121);

            EmergencyRecovery r = daemon.client().emergencyRecovery();

            assertThat(r.stoppedSessions()).isEqualTo(2);
            assertThat(r.killedCount()).as("the other supervisor's tree").isGreaterThanOrEqualTo(121);
            assertThat(Chaos.survivors(tag)).isZero();
            assertThat(Chaos.survivors(otherTag)).isZero();
            assertThat(decoy.isAlive()).as("an unmarked process is never touched").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> foreign.state().isTerminal());
            List<SessionView> history = daemon.client().sessions(SessionQuery.everything()).sessions();
            assertThat(history).extracting(SessionView::id).contains(a.id(), b.id());
            assertThat(daemon.client().sessions().count()).as("no live state left").isZero();
            assertThat(daemon.client().session(a.id()).state()).isEqualTo(SessionState.STOPPED);
        }
    }
}
