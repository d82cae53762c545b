package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TetherSettingsTest {
    @TempDir
    Path home;

    @Test
    void defaults() {
        TetherSettings s = TetherSettings.load(Map.of("TETHER_HOME", home.toString()), Map.of());
        assertThat(s.home()).isEqualTo(home);
        assertThat(s.grace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.shutdownBudget()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.portRange()).isEqualTo(new PortRange(20000, 29999));
        assertThat(s.reconcileInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.sessionsDir()).isEqualTo(home.resolve("sessions"));
        assertThat(s.keepEndedFor()).isEqualTo(Duration.ofDays(7));
        assertThat(s.keepEnded()).isEqualTo(10_000);
    }

    @Test
    void endedRetentionComesFromFileOrEnvironmentAndBadCountsAreRejected() throws IOException {
        Files.writeString(home.resolve("config.properties"), "keep_ended_for=2h\nkeep_ended=250\n");
        Map<String, String> env = Map.of("TETHER_HOME", home.toString());
        TetherSettings s = TetherSettings.load(env, Map.of());
        assertThat(s.keepEndedFor()).isEqualTo(Duration.ofHours(2));
        assertThat(s.keepEnded()).isEqualTo(250);
        assertThat(TetherSettings.load(Map.of("TETHER_HOME", home.toString(), "TETHER_KEEP_ENDED", "1_000"), Map.of())
                .keepEnded()).isEqualTo(1000);
        for (String bad : java.util.List.of("-1", "lots", "20000000")) {
            assertThatThrownBy(() -> TetherSettings.load(env, Map.of("keep_ended", bad)))
                    .isInstanceOf(InvalidSpecException.class)
                    .hasMessageContaining("keep_ended").hasMessageContaining("'" + bad + "'").hasMessageContaining("whole number");
        }
        assertThatThrownBy(() -> TetherSettings.load(env, Map.of("keep_ended_for", "forever")))
                .hasMessageContaining("keep_ended_for").hasMessageContaining("'forever'");
    }

    @Test
    void defaultHomeFollowsXdgStateHome() {
        assertThat(TetherSettings.defaultHome(Map.of("XDG_STATE_HOME", "/var/lib/x"))).isEqualTo(Path.of("/var/lib/x/tether"));
        assertThat(TetherSettings.defaultHome(Map.of()))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/tether"));
    }

    @Test
    void fileThenEnvironmentThenOverridesWin() throws IOException {
        Files.writeString(home.resolve("config.properties"), "grace=3s\nshutdown_budget=20s\nport_range=30000-30010\n");
        Map<String, String> env = Map.of("TETHER_HOME", home.toString(), "TETHER_SHUTDOWN_BUDGET", "15s");
        TetherSettings s = TetherSettings.load(env, Map.of("port_range", "31000-31005"));
        assertThat(s.grace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.shutdownBudget()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.portRange()).isEqualTo(new PortRange(31000, 31005));
    }

    @Test
    void unknownKeysAndBadValuesAreRejectedNamingKeyAndForm() throws IOException {
        Files.writeString(home.resolve("config.properties"), "grase=3s\n");
        Map<String, String> env = Map.of("TETHER_HOME", home.toString());
        assertThatThrownBy(() -> TetherSettings.load(env, Map.of()))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("grase").hasMessageContaining("config.properties").hasMessageContaining("grace");
        Files.writeString(home.resolve("config.properties"), "grace=soon\n");
        assertThatThrownBy(() -> TetherSettings.load(env, Map.of()))
                .hasMessageContaining("grace").hasMessageContaining("'soon'").hasMessageContaining("e.g. 500ms");
        Files.delete(home.resolve("config.properties"));
        assertThatThrownBy(() -> TetherSettings.load(Map.of("TETHER_HOME", home.toString(), "TETHER_PORT_RANGE", "9-2"), Map.of()))
                .hasMessageContaining("port_range").hasMessageContaining("TETHER_PORT_RANGE").hasMessageContaining("LOW-HIGH");
        assertThatThrownBy(() -> TetherSettings.load(env, Map.of("colour", "red")))
                .hasMessageContaining("colour").hasMessageContaining("unknown setting");
        assertThatThrownBy(() -> TetherSettings.load(Map.of("TETHER_HOME", "relative/dir"), Map.of()))
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> TetherSettings.load(env, Map.of("log_level", "LOUD")))
                .hasMessageContaining("log_level").hasMessageContaining("LOUD");
    }

    @Test
    void markerVariablesInTheEnvironmentAreNotSettings() {
        TetherSettings s = TetherSettings.load(Map.of("TETHER_HOME", home.toString(), "TETHER_SESSION", "abc",
                "TETHER_INSTANCE", "def"), Map.of());
        assertThat(s.home()).isEqualTo(home);
    }
}
