package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.linux.LinuxPlatform;
import dev.tether.testkit.Leaks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec that cannot run raises a typed {@link SpawnException} naming the command, the reason and
 * the errno, and leaves nothing behind: no process, no session, no cgroup.
 */
class SpawnFailuresIT {
    @TempDir
    Path tmp;
    private Supervisor sup;

    @BeforeEach
    void open() {
        sup = Supervisor.builder().shutdownHook(false).open();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        assertThat(sup.sessions()).isEmpty();
        assertThat(Leaks.ofInstance(sup.instanceId())).isEmpty();
        Optional<Path> instanceCgroup = LinuxPlatform.instanceCgroup(sup.instanceId());
        if (instanceCgroup.isPresent() && Files.isDirectory(instanceCgroup.get())) {
            try (Stream<Path> children = Files.list(instanceCgroup.get())) {
                assertThat(children.filter(Files::isDirectory).toList()).as("session cgroups left behind").isEmpty();
            }
        }
        sup.close();
    }

    private SpawnException spawnFails(ProcessSpec spec) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> sup.start(spec));
        assertThat(t).isInstanceOf(SpawnException.class);
        SpawnException e = (SpawnException) t;
        assertThat(e.spec()).isSameAs(spec);
        assertThat(e.getMessage()).contains(spec.argv().getFirst());
        return e;
    }

    @Test
    void missingBinary() {
        SpawnException e = spawnFails(ProcessSpec.of("/nonexistent/tether-test-binary", "x"));
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.errno()).isEqualTo(2);
        assertThat(e.getMessage()).contains("does not exist");
    }

    @Test
    void programNotOnPath() {
        SpawnException e = spawnFails(ProcessSpec.of("tether-no-such-program-on-path"));
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.getMessage()).contains("not found on PATH");
    }

    @Test
    void nonExecutableFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        SpawnException e = spawnFails(ProcessSpec.of(f.toString()));
        assertThat(e.errnoName()).isEqualTo("EACCES");
        assertThat(e.getMessage()).contains("not executable");
    }

    @Test
    void directoryAsProgram() {
        SpawnException e = spawnFails(ProcessSpec.of(tmp.toString()));
        assertThat(e.errnoName()).isEqualTo("EACCES");
        assertThat(e.getMessage()).contains("is a directory");
    }

    @Test
    void executableOfUnknownFormat() throws IOException {
        Path f = Files.write(tmp.resolve("garbage"), new byte[] {1, 2, 3, 4, 5, 6});
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        SpawnException e = spawnFails(ProcessSpec.of(f.toString()));
        assertThat(e.errnoName()).isEqualTo("ENOEXEC");
    }

    @Test
    void missingWorkingDirectory() {
        SpawnException e = spawnFails(ProcessSpec.builder("/bin/true").directory(tmp.resolve("missing")).build());
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.getMessage()).contains("working directory").contains("does not exist");
    }

    @Test
    void workingDirectoryIsAFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("file"), "x");
        SpawnException e = spawnFails(ProcessSpec.builder("/bin/true").directory(f).build());
        assertThat(e.errnoName()).isEqualTo("ENOTDIR");
    }

    @Test
    void unreadableWorkingDirectory() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root bypasses directory permissions, so an unreadable directory cannot be made here");
        Path d = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("---------"));
        try {
            SpawnException e = spawnFails(ProcessSpec.builder("/bin/true").directory(d).build());
            assertThat(e.errnoName()).isEqualTo("EACCES");
        } finally {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void outputFileInMissingDirectory() {
        SpawnException e = spawnFails(ProcessSpec.builder("/bin/true")
                .stdout(Stdio.file(tmp.resolve("no/such/dir/out.log"))).build());
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.getMessage()).contains("output file");
    }

    @Test
    void invalidSpecsAreRejectedAtBuild() {
        assertThatThrownBy(() -> ProcessSpec.builder(List.of()).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("argv");
        assertThatThrownBy(() -> ProcessSpec.builder("").build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("argv[0]");
        assertThatThrownBy(() -> ProcessSpec.builder("x").env("TETHER_SESSION", "y").build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("TETHER_SESSION");
    }
}
