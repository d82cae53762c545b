package dev.tether.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir
    Path dir;

    @Test
    void stepsAreNumberedFromOneWithoutGaps() {
        for (int i = 0; i < Schema.MIGRATIONS.size(); i++) {
            assertThat(Schema.MIGRATIONS.get(i).version()).isEqualTo(i + 1);
        }
        assertThat(Schema.latest()).isEqualTo(Schema.MIGRATIONS.size());
    }

    @Test
    void anEmptyFileGetsEveryTable() throws Exception {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        try (Database db = Database.open(file, Registry.DEFAULT_BUSY_TIMEOUT)) {
            List<String> tables = db.read(() -> {
                List<String> out = new ArrayList<>();
                PreparedStatement ps = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
            assertThat(tables).containsExactly("instances", "port_leases", "sessions");
        }
    }

    /** What adding v2 looks like: the rows of v1 survive, and the step runs once. */
    @Test
    void aLaterStepUpgradesAnExistingRegistryInPlace() throws Exception {
        Path file = dir.resolve("registry.db");
        try (Registry r = Registry.open(file)) {
            r.recordInstance(Fixtures.instance("inst-a"));
        }
        Migration v2 = new Migration(2, "instance labels", List.of(
                "ALTER TABLE instances ADD COLUMN label TEXT NOT NULL DEFAULT 'none'"));
        List<Migration> withV2 = new ArrayList<>(Schema.MIGRATIONS);
        withV2.add(v2);
        try (Database db = Database.open(file, Registry.DEFAULT_BUSY_TIMEOUT)) {
            Schema.migrate(db, withV2);
            Schema.migrate(db, withV2); // a second run finds nothing to do (ALTER would fail if re-run)
            assertThat(db.read(() -> db.scalar("SELECT id || ':' || label FROM instances"))).isEqualTo("inst-a:none");
            assertThat(db.read(() -> db.scalar("PRAGMA user_version"))).isEqualTo("2");
        }
        assertThatThrownBy(() -> Registry.open(file))
                .as("the code without v2 refuses the upgraded file")
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.NEWER_SCHEMA));
    }

    @Test
    void aFailingStepLeavesTheFileAtItsOldVersion() throws Exception {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        Migration broken = new Migration(2, "broken", List.of(
                "ALTER TABLE instances ADD COLUMN label TEXT", "THIS IS NOT SQL"));
        List<Migration> withBroken = new ArrayList<>(Schema.MIGRATIONS);
        withBroken.add(broken);
        try (Database db = Database.open(file, Registry.DEFAULT_BUSY_TIMEOUT)) {
            assertThatThrownBy(() -> Schema.migrate(db, withBroken)).isInstanceOf(RegistryException.class);
            assertThat(db.read(() -> db.scalar("PRAGMA user_version"))).isEqualTo("1");
            assertThat(db.read(() -> db.scalar("SELECT count(*) FROM pragma_table_info('instances') WHERE name = 'label'")))
                    .isEqualTo("0");
        }
    }

    @Test
    void stepsOutOfOrderAreABug() {
        Path file = dir.resolve("registry.db");
        Registry.open(file).close();
        try (Database db = Database.open(file, Registry.DEFAULT_BUSY_TIMEOUT)) {
            assertThatThrownBy(() -> Schema.migrate(db, List.of(new Migration(2, "skips v1", List.of()))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("numbered 1, 2, 3");
        }
    }
}
