package dev.tether.app.daemon;

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
import java.util.Map;

/**
 * Child-JVM main for {@link EmergencyRecoveryIT}, run as pid 1 of its own pid namespace so that
 * "every Tether-marked process of this user" means only what it starts here. Starts a daemon with
 * two sessions, another live supervisor with a deep tree, and an unmarked decoy; calls emergency
 * recovery; prints {@code key value} lines for the test to check.
 * Arguments: HOME OTHER_HOME TAG OTHER_TAG.
 */
public final class EmergencyDriver {
    private EmergencyDriver() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        String tag = args[2];
        String otherTag = args[3];
        // Unmarked, though its name and environment talk of Tether: only a real marker counts.
        ProcessBuilder decoyBuilder = new ProcessBuilder("/bin/bash", "-c", "exec -a tether-session-decoy sleep 300");
        decoyBuilder.environment().put("NOT_TETHER_SESSION", "decoy");
        Process decoy = decoyBuilder
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        TetherSettings other = TetherSettings.load(Map.of("TETHER_HOME", args[1]), Map.of());
        try (TestDaemon daemon = TestDaemon.start(home);
             Supervisor elsewhere = Supervisor.builder().settings(other).shutdownHook(false).open()) {
            Session foreign = elsewhere.start(ProcessSpec.builder(Chaos.command("deep-tree", otherTag))
                    .stdout(Stdio.discard()).stderr(Stdio.discard()).build());
            SessionView a = daemon.client().start(SessionRequest.of(Chaos.command("double-fork-setsid", tag)));
            SessionView b = daemon.client().start(SessionRequest.of(Chaos.command("term-ignorer", tag)).withGrace(Duration.ofMillis(300)));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> Chaos.survivors(tag) == 4 && Chaos.survivors(otherTag) == 121);
            System.out.println("before " + Chaos.survivors(tag) + " " + Chaos.survivors(otherTag));
            System.out.println("decoy_before " + decoy.isAlive());

            EmergencyRecovery r = daemon.client().emergencyRecovery();

            System.out.println("stopped_sessions " + r.stoppedSessions());
            System.out.println("killed_count " + r.killedCount());
            System.out.println("survivors " + Chaos.survivors(tag) + " " + Chaos.survivors(otherTag));
            System.out.println("decoy_alive " + decoy.isAlive());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> foreign.state().isTerminal());
            System.out.println("foreign_state " + foreign.state());
            System.out.println("history " + daemon.client().sessions(SessionQuery.everything()).sessions().stream()
                    .map(SessionView::id).filter(id -> id.equals(a.id()) || id.equals(b.id())).count());
            System.out.println("live " + daemon.client().sessions().count());
            System.out.println("state_a " + daemon.client().session(a.id()).state());
            System.out.println("state_b " + (daemon.client().session(b.id()).state() == SessionState.STOPPED));
        } finally {
            decoy.destroyForcibly();
        }
        System.out.println("done");
    }
}
