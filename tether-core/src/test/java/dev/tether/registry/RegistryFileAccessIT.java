package dev.tether.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.registry.RegistryException.Kind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry files other processes or the system stand in the way of. An IT because it starts
 * processes: {@code chattr} (as root, permission bits do not stop writes; the immutable attribute
 * does), and child JVMs that hold the lock or are killed mid-run.
 */
class RegistryFileAccessIT {
    @TempDir
    Path dir;
    private final List<Path> madeReadOnly = new ArrayList<>();

    @AfterEach
    void makeWritableAgain() throws Exception {
        for (Path p : madeReadOnly.reversed()) {
            if (isRoot()) {
                run("chattr", "-i", p.toString());
            } else {
                Files.setPosixFilePermissions(p, mode(Files.isDirectory(p) ? "rwx------" : "rw-------"));
            }
        }
    }

    @Test
    void aFileThatCannotBeWrittenIsReadOnlyAtOpen() throws Exception {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        makeReadOnly(file);

        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READ_ONLY))
                .hasMessageContaining("registry " + file + " is read-only for uid ")
                .hasMessageContaining("chmod u+rw " + file)
                .hasMessageContaining("chattr -i");
    }

    @Test
    void aDirectoryThatCannotBeWrittenIsReadOnlyAtOpen() throws Exception {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        makeReadOnly(dir);

        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READ_ONLY))
                .hasMessageContaining("registry " + file + " is read-only")
                .hasMessageContaining("its directory " + dir + " is not writable");
    }

    @Test
    void aDirectoryWhereTheFileCannotBeCreatedIsReadOnlyAtOpen() throws Exception {
        makeReadOnly(dir);
        Path file = dir.resolve("home").resolve("registry.db");

        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READ_ONLY))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("cannot create directory " + dir.resolve("home"));
        assertThat(dir.resolve("home")).doesNotExist();
    }

    @Test
    void aLockHeldByAnotherProcessNamesItsPid() throws Exception {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        Process holder = startChild("lock", file);
        try {
            assertThat(firstLine(holder)).isEqualTo("locked");

            assertThatThrownBy(() -> Registry.open(file, Fixtures.SHORT_BUSY))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.LOCKED))
                    .hasMessageContaining("registry " + file + " is locked by pid " + holder.pid() + " (java)");

            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).as("lock holder exits when told").isTrue();
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(holder.isAlive()).isFalse();
        try (Registry r = Registry.open(file, Fixtures.SHORT_BUSY)) {
            assertThat(r.liveSessions()).isEmpty();
        }
    }

    @Test
    void whatWasRecordedSurvivesTheWriterBeingKilled() throws Exception {
        Path file = dir.resolve("registry.db");
        Process writer = startChild("record", file);
        try {
            assertThat(firstLine(writer)).isEqualTo("recorded");
            writer.destroyForcibly(); // SIGKILL: no close, no checkpoint; the rows live only in the -wal
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }
        try (Registry r = Registry.open(file)) {
            InstanceRecord crashed = r.instance("crashed").orElseThrow();
            assertThat(crashed.process().pid()).isEqualTo(writer.pid());
            assertThat(crashed.process().isAlive()).isFalse();
            assertThat(r.instances(InstanceFilter.notEnded())).extracting(InstanceRecord::id).containsExactly("crashed");
            assertThat(r.liveSessions()).extracting(SessionRecord::id).containsExactly("s1");
            assertThat(r.liveSessions().getFirst().state()).isEqualTo(dev.tether.SessionState.STARTING);
            assertThat(r.leasedPorts()).extracting(PortLease::port).containsExactly(8123);
        }
    }

    private static Process startChild(String mode, Path file) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), RegistryChildMain.class.getName(), mode, file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String firstLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    /** Makes {@code p} unwritable for this user, or skips the test if this machine cannot. */
    private void makeReadOnly(Path p) throws Exception {
        if (isRoot()) {
            Assumptions.assumeTrue(run("chattr", "+i", p.toString()) == 0,
                    "running as root and chattr +i is refused here (no CAP_LINUX_IMMUTABLE or not ext4/xfs/btrfs)");
        } else {
            Files.setPosixFilePermissions(p, mode(Files.isDirectory(p) ? "r-x------" : "r--------"));
        }
        madeReadOnly.add(p);
        Assumptions.assumeTrue(!canWrite(p), p + " is still writable for this user");
    }

    private static boolean canWrite(Path p) {
        if (Files.isDirectory(p)) {
            try {
                Files.delete(Files.createTempFile(p, "probe", ""));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try {
            FileChannel.open(p, StandardOpenOption.WRITE).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> mode(String rwx) {
        return PosixFilePermissions.fromString(rwx);
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
