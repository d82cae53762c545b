package dev.tether.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.SessionState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file on disk: where it goes, who may read it, and that what was recorded is still there after reopening. */
class RegistryFilesTest {
    @TempDir
    Path dir;

    @Test
    void createsMissingDirectoriesPrivateAndTheFilesOwnerOnly() throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = dir.resolve("state").resolve("tether");
        Path file = home.resolve("registry.db");
        try (Registry r = Registry.open(file)) {
            r.recordInstance(Fixtures.instance("inst-a")); // makes sure the -wal has content
            assertThat(mode(dir.resolve("state"))).isEqualTo("rwx------");
            assertThat(mode(home)).isEqualTo("rwx------");
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(mode(RegistryFiles.sibling(file, "-wal"))).isEqualTo("rw-------");
            assertThat(mode(RegistryFiles.sibling(file, "-shm"))).isEqualTo("rw-------");
        }
        assertThat(mode(dir)).as("existing directories are left as they are").isEqualTo("rwxr-xr-x");
    }

    @Test
    void narrowsAnExistingFileToOwnerOnly() throws IOException {
        Path file = dir.resolve("registry.db");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        Registry.open(file).close();
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void reopeningKeepsEverythingAndMigratesNothing() throws SQLException {
        Path file = dir.resolve("registry.db");
        try (Registry r = Registry.open(file)) {
            r.recordInstance(Fixtures.instance("inst-a"));
            r.insertSessionIntent(Fixtures.intentWithPort("s1", "inst-a", 8080));
        }
        assertThat(RegistryOpenErrorsTest.pragma(file, "user_version")).isEqualTo(Schema.latest());
        try (Registry r = Registry.open(file)) {
            assertThat(r.instance("inst-a")).contains(Fixtures.instance("inst-a"));
            SessionRecord s = r.session("s1").orElseThrow();
            assertThat(s.intent()).isEqualTo(Fixtures.intentWithPort("s1", "inst-a", 8080));
            assertThat(s.state()).isEqualTo(SessionState.STARTING);
            assertThat(r.leasedPorts()).extracting(PortLease::port).containsExactly(8080);
        }
        assertThat(RegistryOpenErrorsTest.pragma(file, "user_version")).isEqualTo(Schema.latest());
        assertThat(RegistryOpenErrorsTest.pragma(file, "application_id")).isEqualTo(Schema.APPLICATION_ID);
    }

    @Test
    void usesWriteAheadLogging() throws SQLException {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        // journal_mode=WAL is persistent: any later connection finds it.
        try (var c = new org.sqlite.SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             var s = c.createStatement();
             var rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
