package dev.tether.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TetherHomeTest {
    private static final Path USER_HOME = Path.of("/home/fallback");

    @Test
    void tetherHomeWins() {
        assertThat(TetherHome.resolve(Map.of("TETHER_HOME", "/opt/t", "XDG_STATE_HOME", "/x", "HOME", "/h"), USER_HOME))
                .isEqualTo(Path.of("/opt/t"));
    }

    @Test
    void thenXdgStateHome() {
        assertThat(TetherHome.resolve(Map.of("XDG_STATE_HOME", "/x/state", "HOME", "/h"), USER_HOME))
                .isEqualTo(Path.of("/x/state/tether"));
    }

    @Test
    void aRelativeXdgStateHomeIsIgnoredAsTheSpecSays() {
        assertThat(TetherHome.resolve(Map.of("XDG_STATE_HOME", "rel/state", "HOME", "/h"), USER_HOME))
                .isEqualTo(Path.of("/h/.local/state/tether"));
    }

    @Test
    void thenHomeThenTheJvmsUserHome() {
        assertThat(TetherHome.resolve(Map.of("HOME", "/h", "TETHER_HOME", " "), USER_HOME))
                .isEqualTo(Path.of("/h/.local/state/tether"));
        assertThat(TetherHome.resolve(Map.of(), USER_HOME)).isEqualTo(Path.of("/home/fallback/.local/state/tether"));
        assertThat(TetherHome.registryFile(Path.of("/h/t"))).isEqualTo(Path.of("/h/t/registry.db"));
    }
}
