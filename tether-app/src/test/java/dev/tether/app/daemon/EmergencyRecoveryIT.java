package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.testkit.Chaos;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emergency recovery stops every session of the daemon and every Tether-marked process of its
 * user — another live supervisor's too — and never an unmarked process, whatever its name looks
 * like; history stays in the registry. It stops every marked process of the user that it can see,
 * so the test runs it as pid 1 of a private pid namespace ({@code unshare --pid --mount-proc}):
 * it sees only what it started there, and a developer's own sessions elsewhere are safe.
 */
class EmergencyRecoveryIT {
    @TempDir
    Path home;
    @TempDir
    Path otherHome;
    private final String tag = Chaos.newTag("emergency");
    private final String otherTag = Chaos.newTag("emergency-other");

    @AfterEach
    void nothingSurvives() {
        for (String t : List.of(tag, otherTag)) {
            int left = Chaos.survivors(t);
            Chaos.reap(t);
            assertThat(left).as("processes tagged %s", t).isZero();
        }
    }

    @Test
    void stopsEveryMarkedProcessOfTheUserAndNothingElse() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && "root".equals(System.getProperty("user.name")),
                "isolating emergency recovery in a pid namespace needs root and unshare(1) (CI has both)");
        List<String> argv = new ArrayList<>(List.of("/usr/bin/unshare", "--pid", "--fork", "--mount-proc",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dtether.chaos.dir=" + Chaos.dir(),
                "-cp", System.getProperty("java.class.path"), EmergencyDriver.class.getName(),
                home.toString(), otherHome.toString(), tag, otherTag));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> out = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                int sp = line.indexOf(' ');
                out.put(sp < 0 ? line : line.substring(0, sp), sp < 0 ? "" : line.substring(sp + 1));
            }
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("driver output %s", out).isZero();
        assertThat(out).containsKey("done");
        assertThat(out.get("before")).isEqualTo("4 121");
        assertThat(out.get("decoy_before")).isEqualTo("true");
        assertThat(out.get("stopped_sessions")).isEqualTo("2");
        assertThat(Integer.parseInt(out.get("killed_count"))).as("the other supervisor's tree").isGreaterThanOrEqualTo(121);
        assertThat(out.get("survivors")).isEqualTo("0 0");
        assertThat(out.get("decoy_alive")).as("an unmarked process is never touched").isEqualTo("true");
        assertThat(out.get("foreign_state")).isEqualTo("EXITED");
        assertThat(out.get("history")).as("history stays in the registry").isEqualTo("2");
        assertThat(out.get("live")).as("no live state left").isEqualTo("0");
        assertThat(out.get("state_a")).isEqualTo("STOPPED");
        assertThat(out.get("state_b")).isEqualTo("true");
    }
}
