package dev.tether.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.registry.RegistryException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** Every way a registry file can be unusable fails at open, naming the file, the problem and the fix. */
class RegistryOpenErrorsTest {
    @TempDir
    Path dir;

    @Test
    void randomBytesAreReportedAsCorruptWithHowToMoveThemAside() throws IOException {
        Path file = dir.resolve("registry.db");
        byte[] junk = new byte[16 * 1024];
        new Random(42).nextBytes(junk);
        Files.write(file, junk);

        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.CORRUPT);
                    assertThat(e.file()).isEqualTo(file);
                })
                .hasMessageContaining("registry " + file + " is not a SQLite database or is corrupt")
                .hasMessageContaining("mv " + file + " " + file + ".corrupt")
                .hasMessageContaining("Tether will create a new one");
    }

    @Test
    void damagedPagesAreReportedAsCorrupt() throws IOException {
        Path file = dir.resolve("registry.db");
        try (Registry r = Registry.open(file)) {
            r.recordInstance(Fixtures.instance("inst-a"));
            for (int i = 0; i < 200; i++) {
                r.insertSessionIntent(Fixtures.intent("s" + i, "inst-a"));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        int pageSize = 4096;
        assertThat(bytes.length).isGreaterThan(4 * pageSize);
        Random random = new Random(7);
        for (int i = pageSize; i < bytes.length; i++) { // keep the header page, ruin every other
            bytes[i] = (byte) random.nextInt();
        }
        Files.write(file, bytes);

        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("move it aside");
    }

    @Test
    void aWriteLockHeldElsewhereIsReportedAsLockedNamingTheHolder() throws SQLException {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        try (Connection other = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            s.execute("UPDATE instances SET host = host");

            long self = ProcessHandle.current().pid();
            assertThatThrownBy(() -> Registry.open(file, Fixtures.SHORT_BUSY))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.LOCKED))
                    .hasMessageContaining("registry " + file + " is locked by this process (pid " + self)
                    .hasMessageContaining("more than 200 ms")
                    .hasMessageContaining("wait for it to finish, or stop it");
            s.execute("ROLLBACK");
        }
        try (Registry r = Registry.open(file, Fixtures.SHORT_BUSY)) {
            assertThat(r.liveSessions()).as("opens once the lock is gone").isEmpty();
        }
    }

    @Test
    void aLockTakenAfterOpenFailsTheWriteAsLockedAndRecordsNothing() throws SQLException {
        Path file = dir.resolve("registry.db");
        try (Registry registry = Registry.open(file, Fixtures.SHORT_BUSY);
             Connection other = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement s = other.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            assertThatThrownBy(() -> registry.recordInstance(Fixtures.instance("inst-a")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.LOCKED))
                    .hasMessageContaining(file.toString());
            s.execute("ROLLBACK");
            assertThat(registry.instance("inst-a")).isEmpty();
            registry.recordInstance(Fixtures.instance("inst-a"));
            assertThat(registry.instance("inst-a")).isPresent();
        }
    }

    @Test
    void aSchemaFromANewerTetherIsRefusedUntouched() throws SQLException {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        setPragma(file, "user_version", 99);

        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NEWER_SCHEMA))
                .hasMessageContaining("registry " + file + " has schema version 99")
                .hasMessageContaining("knows versions up to " + Schema.latest())
                .hasMessageContaining("Upgrade Tether");
        assertThat(pragma(file, "user_version")).isEqualTo(99);
    }

    @Test
    void anotherApplicationsDatabaseIsNotTakenOver() throws SQLException {
        Path file = dir.resolve("registry.db");
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (text TEXT)");
        }
        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.CORRUPT))
                .hasMessageContaining("registry " + file + " is a SQLite database but not a Tether registry")
                .hasMessageContaining("move it aside");
    }

    @Test
    void aDirectoryInPlaceOfTheFileIsAnIoError() throws IOException {
        Path file = Files.createDirectory(dir.resolve("registry.db"));
        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IO))
                .hasMessageContaining("cannot use registry " + file + ": it is not a regular file")
                .hasMessageContaining("TETHER_HOME");
    }

    @Test
    void aFileInPlaceOfTheDirectoryIsAnIoError() throws IOException {
        Path notADir = Files.writeString(dir.resolve("home"), "x");
        Path file = notADir.resolve("registry.db");
        assertThatThrownBy(() -> Registry.open(file))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IO))
                .hasMessageContaining(file.toString())
                .hasMessageContaining(notADir + " is not a directory");
    }

    static void setPragma(Path file, String name, int value) throws SQLException {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA " + name + " = " + value);
        }
    }

    static int pragma(Path file, String name) throws SQLException {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             var rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
