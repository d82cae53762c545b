package dev.tether.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.InvalidSpecException;
import dev.tether.ProcessSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionDirectoriesTest {
    @TempDir
    Path tmp;

    @Test
    void createsPrivateDirectoryNamedAfterTheSession() throws IOException {
        SessionDirectories dirs = new SessionDirectories(tmp.resolve("sessions"));
        Path d = dirs.create("abc", "");
        assertThat(d).isEqualTo(tmp.resolve("sessions/abc").toRealPath());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("sessions")))).isEqualTo("rwx------");
    }

    @Test
    void refusesNamesThatLeaveTheBase() throws IOException {
        SessionDirectories dirs = new SessionDirectories(tmp.resolve("sessions"));
        assertThatThrownBy(() -> dirs.create("s", "../escape")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("outside the sessions base");
        assertThatThrownBy(() -> dirs.create("s", "/etc/evil")).isInstanceOf(InvalidSpecException.class);
        Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(tmp.resolve("sessions/link"), tmp.resolve("elsewhere"));
        assertThatThrownBy(() -> dirs.create("s", "link/inside")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("symlink");
        assertThat(tmp.resolve("elsewhere/inside")).doesNotExist();
        assertThatThrownBy(() -> ProcessSpec.builder("true").sessionDirectory("../x").build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("..");
    }

    @Test
    void refusesAnExistingDirectory() {
        SessionDirectories dirs = new SessionDirectories(tmp.resolve("sessions"));
        dirs.create("s1", "shared");
        assertThatThrownBy(() -> dirs.create("s2", "shared")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void removalNeverFollowsSymlinksOut() throws IOException {
        SessionDirectories dirs = new SessionDirectories(tmp.resolve("sessions"));
        Path d = dirs.create("abc", "");
        Path precious = Files.writeString(Files.createDirectories(tmp.resolve("precious")).resolve("keep.txt"), "keep");
        Files.createSymbolicLink(d.resolve("link-out"), tmp.resolve("precious"));
        Files.writeString(Files.createDirectories(d.resolve("sub")).resolve("f"), "x");
        dirs.remove(d);
        assertThat(d).doesNotExist();
        assertThat(precious).exists().hasContent("keep");
        assertThatThrownBy(() -> dirs.remove(tmp.resolve("precious"))).isInstanceOf(IllegalArgumentException.class);
    }
}
