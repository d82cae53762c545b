package dev.tether.registry;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's schema and how to get there. {@code PRAGMA user_version} holds the version;
 * {@code PRAGMA application_id} marks the file as Tether's. To change the schema, append a
 * {@link Migration} with the next version to {@link #MIGRATIONS}; never edit a released one.
 *
 * <p>Times are integer nanoseconds since the epoch ({@link EpochNanos}); lists are JSON arrays
 * ({@link JsonStrings}); enums are stored by name. A session is live exactly while {@code ended_at}
 * is null, which a partial index keeps cheap to find.
 */
final class Schema {
    private static final Logger log = LoggerFactory.getLogger(Schema.class);

    /** "Tthr": tells a Tether registry from any other SQLite file. */
    static final int APPLICATION_ID = 0x54746872;

    private static final Migration V1 = new Migration(1, "instances, sessions, port leases", List.of("""
            CREATE TABLE instances (
                id          TEXT PRIMARY KEY,
                boot_id     TEXT NOT NULL,
                pid         INTEGER NOT NULL,
                start_time  INTEGER NOT NULL,
                host        TEXT NOT NULL,
                user_name   TEXT NOT NULL,
                started_at  INTEGER NOT NULL,
                ended_at    INTEGER
            ) STRICT""", """
            CREATE INDEX instances_not_ended ON instances(host) WHERE ended_at IS NULL""", """
            CREATE TABLE sessions (
                id              TEXT PRIMARY KEY,
                instance_id     TEXT NOT NULL REFERENCES instances(id),
                name            TEXT NOT NULL,
                argv            TEXT NOT NULL,
                cwd             TEXT NOT NULL,
                tags            TEXT NOT NULL,
                marker          TEXT NOT NULL,
                port            INTEGER,
                directory       TEXT,
                cgroup          TEXT,
                state           TEXT NOT NULL,
                main_boot_id    TEXT,
                main_pid        INTEGER,
                main_start_time INTEGER,
                exit_kind       TEXT,
                exit_code       INTEGER,
                exit_detail     TEXT,
                stop_signalled  INTEGER,
                stop_killed     INTEGER,
                stop_survivors  INTEGER,
                stop_elapsed    INTEGER,
                stop_reason     TEXT,
                created_at      INTEGER NOT NULL,
                started_at      INTEGER,
                ended_at        INTEGER,
                last_activity   INTEGER NOT NULL
            ) STRICT""", """
            CREATE INDEX sessions_live ON sessions(created_at) WHERE ended_at IS NULL""", """
            CREATE INDEX sessions_instance ON sessions(instance_id, created_at)""", """
            CREATE INDEX sessions_name ON sessions(name, created_at)""", """
            CREATE TABLE port_leases (
                port        INTEGER PRIMARY KEY CHECK (port BETWEEN 1 AND 65535),
                session_id  TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                instance_id TEXT NOT NULL REFERENCES instances(id),
                leased_at   INTEGER NOT NULL
            ) STRICT""", """
            CREATE INDEX port_leases_session ON port_leases(session_id)"""));

    /** Every schema step, oldest first. */
    static final List<Migration> MIGRATIONS = List.of(V1);

    private Schema() {}

    /** The version this code reads and writes. */
    static int latest() {
        return MIGRATIONS.getLast().version();
    }

    /** Brings the registry to the latest version, or refuses a file this code cannot read. */
    static void migrate(Database db) {
        migrate(db, MIGRATIONS);
    }

    /**
     * Applies the steps of {@code migrations} above the file's version, in one transaction; the
     * write lock it takes also proves at open that nobody holds the registry locked.
     */
    static void migrate(Database db, List<Migration> migrations) {
        Path file = db.file();
        checkOrder(migrations);
        int latest = migrations.getLast().version();
        db.write(() -> {
            int version = Integer.parseInt(db.scalar("PRAGMA user_version"));
            int applicationId = Integer.parseInt(db.scalar("PRAGMA application_id"));
            if (applicationId != APPLICATION_ID && (version != 0 || applicationId != 0 || hasTables(db))) {
                throw RegistryErrors.notTetherRegistry(file, applicationId);
            }
            if (version > latest) {
                throw RegistryErrors.newerSchema(file, version, latest);
            }
            for (Migration m : migrations) {
                if (m.version() > version) {
                    if (version == 0) {
                        log.debug("registry {}: creating schema v{} ({})", file, m.version(), m.description());
                    } else {
                        log.info("registry {}: migrating from schema v{} to v{} ({})", file, version, m.version(),
                                m.description());
                    }
                    for (String sql : m.statements()) {
                        db.execute(sql);
                    }
                    db.execute("PRAGMA user_version = " + m.version());
                }
            }
            if (applicationId != APPLICATION_ID) {
                db.execute("PRAGMA application_id = " + APPLICATION_ID);
            }
            return null;
        });
    }

    private static boolean hasTables(Database db) throws SQLException {
        return !"0".equals(db.scalar("SELECT count(*) FROM sqlite_schema"));
    }

    private static void checkOrder(List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalStateException("migrations must be numbered 1, 2, 3... in order; step " + (i + 1)
                        + " has version " + migrations.get(i).version());
            }
        }
    }
}
