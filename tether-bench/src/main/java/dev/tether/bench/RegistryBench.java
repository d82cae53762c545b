package dev.tether.bench;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.StopReason;
import dev.tether.StopReport;
import dev.tether.registry.InstanceRecord;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionIntent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * (e) What the registry costs per session life, in both ways a supervisor records one: a start
 * that reserves a port or a directory (intent, then running, then ended: three committed
 * transactions) and one that reserves nothing (one RUNNING row after the spawn, then ended: two),
 * and per {@code liveSessions()} read with 1,000 live rows, on a fresh file each round. Baseline: the same three writes and the same read done with plain JDBC on the
 * same sqlite-jdbc, the same pragmas (WAL, {@code synchronous=NORMAL}) and the same table and
 * indexes, but no Registry code: no state guards, no JSON or time encoding, no explicit
 * {@code BEGIN IMMEDIATE}, no lease release, no row decoding into records. So the ratio is what
 * the Registry's own logic adds on top of what SQLite must do anyway.
 */
final class RegistryBench {
    static final int WARMUP = 2_000;
    static final int SESSIONS = 2_000;
    static final int LIVE = 1_000;
    static final int READ_WARMUP = 20;
    static final int READS = 50;
    static final double TARGET_MICROS_PER_SESSION = 1_000;
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123456789Z");
    private static final String BOOT = "6f1c2a9e-0d4b-4b8e-9f3a-2c7d5e8a1b40";

    enum Variant {
        REGISTRY("Tether Registry: intent, running, ended", true, false),
        REGISTRY_ONE_WRITE("Tether Registry: running row after the spawn, ended", true, true),
        PLAIN_JDBC("baseline: plain JDBC, same sqlite-jdbc, WAL, same table, the same three writes", false, false),
        PLAIN_JDBC_ONE_WRITE("baseline: plain JDBC, the same two writes", false, true);

        final String label;
        final boolean tether;
        /** Whether a life is the start that reserves nothing: one row after the spawn, then the end. */
        final boolean oneWrite;

        Variant(String label, boolean tether, boolean oneWrite) {
            this.label = label;
            this.tether = tether;
            this.oneWrite = oneWrite;
        }
    }

    /** One round of one variant: per-session wall and CPU (µs), and every timed live read (ms). */
    record Sample(Variant variant, int round, double microsPerSession, double cpuMicrosPerSession, List<Double> readMillis) {}

    record Figure(Variant variant, String label, double microsPerSessionMedian, double cpuMicrosPerSessionMedian,
                  double readMillisMedian, double readMillisP90, Double targetMicros, Boolean targetMet) {}

    record Result(int warmupSessions, int sessionsPerRound, int liveRows, int readsPerRound, int rounds,
                  String baseline, List<Sample> samples, List<Figure> figures) {}

    /** The three writes and the read, as each variant does them. */
    private interface Store extends AutoCloseable {
        void life(String id, int i);

        void intent(String id);

        int readLive();

        @Override
        void close();
    }

    private final Path dir;
    private final int rounds;

    RegistryBench(Path dir, int rounds) {
        this.dir = dir;
        this.rounds = rounds;
    }

    Result run() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        List<Sample> samples = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            List<Variant> order = new ArrayList<>(List.of(Variant.values()));
            Collections.rotate(order, round);
            for (Variant v : order) {
                Sample s = measure(v, round);
                samples.add(s);
                System.out.printf("  registry round %d  %-80s %7.1f µs/session (CPU %6.1f)  liveSessions %6.2f ms%n",
                        round, v.label, s.microsPerSession(), s.cpuMicrosPerSession(), Stats.median(s.readMillis()));
            }
        }
        List<Figure> figures = new ArrayList<>();
        for (Variant v : Variant.values()) {
            List<Sample> mine = samples.stream().filter(s -> s.variant() == v).toList();
            List<Double> reads = mine.stream().flatMap(s -> s.readMillis().stream()).toList();
            double perSession = Stats.median(mine.stream().map(Sample::microsPerSession).toList());
            boolean tether = v.tether;
            figures.add(new Figure(v, v.label, Stats.round(perSession, 1),
                    Stats.round(Stats.median(mine.stream().map(Sample::cpuMicrosPerSession).toList()), 1),
                    Stats.round(Stats.median(reads), 3), Stats.round(Stats.p90(reads), 3),
                    tether ? TARGET_MICROS_PER_SESSION : null, tether ? perSession <= TARGET_MICROS_PER_SESSION : null));
        }
        return new Result(WARMUP, SESSIONS, LIVE, READS, rounds, Variant.PLAIN_JDBC.label, samples, figures);
    }

    private Sample measure(Variant v, int round) {
        Path file = dir.resolve("registry-" + v.name().toLowerCase() + "-" + round + ".db");
        deleteDb(file);
        try (Store store = v.tether ? new RegistryStore(file, v.oneWrite) : new JdbcStore(file, v.oneWrite)) {
            for (int i = 0; i < WARMUP; i++) {
                store.life("warm" + i, i);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < SESSIONS; i++) {
                store.life("s" + i, i);
            }
            double perSession = (System.nanoTime() - t0) / 1_000.0 / SESSIONS;
            double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000.0 / SESSIONS;
            for (int i = 0; i < LIVE; i++) {
                store.intent("live" + i);
            }
            for (int i = 0; i < READ_WARMUP; i++) {
                store.readLive();
            }
            List<Double> reads = new ArrayList<>();
            for (int i = 0; i < READS; i++) {
                long r0 = System.nanoTime();
                int n = store.readLive();
                reads.add(Stats.round(Stats.millis(r0, System.nanoTime()), 4));
                if (n != LIVE) {
                    throw new IllegalStateException(v.label + " read " + n + " live rows, expected " + LIVE);
                }
            }
            return new Sample(v, round, Stats.round(perSession, 2), Stats.round(cpu, 2), reads);
        } finally {
            deleteDb(file);
        }
    }

    private static void deleteDb(Path file) {
        try {
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(file + suffix));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    private static SessionIntent intentOf(String id) {
        return new SessionIntent(id, "inst-a", "web-" + id, List.of("python3", "-m", "http.server", "8000"),
                Path.of("/srv/app"), Set.of("web"), "TETHER_SESSION=" + id, OptionalInt.empty(),
                Optional.empty(), Optional.empty(), T0.plusMillis(1));
    }

    /** Tether's registry, as the supervisor calls it. */
    private static final class RegistryStore implements Store {
        private static final StopReport REPORT = new StopReport(new Exit.Exited(0), 2, 0, 0, Duration.ofMillis(4),
                StopReason.REQUESTED);
        private final Registry registry;
        private final boolean oneWrite;

        RegistryStore(Path file, boolean oneWrite) {
            this.oneWrite = oneWrite;
            registry = Registry.open(file);
            registry.recordInstance(InstanceRecord.started("inst-a", new ProcessId(BOOT, 4242, 987_654_321L),
                    "host-a", "alice", T0));
        }

        @Override
        public void life(String id, int i) {
            if (oneWrite) {
                registry.insertRunningSession(intentOf(id), new ProcessId(BOOT, 100 + i, i), T0);
            } else {
                registry.insertSessionIntent(intentOf(id));
                registry.markSessionRunning(id, new ProcessId(BOOT, 100 + i, i), T0);
            }
            registry.markSessionEnded(id, SessionState.STOPPED, REPORT, T0.plusSeconds(1));
        }

        @Override
        public void intent(String id) {
            registry.insertSessionIntent(intentOf(id));
        }

        @Override
        public int readLive() {
            return registry.liveSessions().size();
        }

        @Override
        public void close() {
            registry.close();
        }
    }

    /** The same rows through bare prepared statements, each its own autocommit transaction. */
    private static final class JdbcStore implements Store {
        private static final String TABLE = """
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, name TEXT NOT NULL, argv TEXT NOT NULL,
                    cwd TEXT NOT NULL, tags TEXT NOT NULL, marker TEXT NOT NULL, port INTEGER, directory TEXT,
                    cgroup TEXT, state TEXT NOT NULL, main_boot_id TEXT, main_pid INTEGER, main_start_time INTEGER,
                    exit_kind TEXT, exit_code INTEGER, exit_detail TEXT, stop_signalled INTEGER, stop_killed INTEGER,
                    stop_survivors INTEGER, stop_elapsed INTEGER, stop_reason TEXT, created_at INTEGER NOT NULL,
                    started_at INTEGER, ended_at INTEGER, last_activity INTEGER NOT NULL) STRICT""";
        private static final List<String> INDEXES = List.of(
                "CREATE INDEX sessions_live ON sessions(created_at) WHERE ended_at IS NULL",
                "CREATE INDEX sessions_instance ON sessions(instance_id, created_at)",
                "CREATE INDEX sessions_name ON sessions(name, created_at)");
        private static final String COLUMNS = "id, instance_id, name, argv, cwd, tags, marker, port, directory, cgroup, "
                + "state, main_boot_id, main_pid, main_start_time, exit_kind, exit_code, exit_detail, stop_signalled, "
                + "stop_killed, stop_survivors, stop_elapsed, stop_reason, created_at, started_at, ended_at, last_activity";
        private static final long T0_NANOS = T0.getEpochSecond() * 1_000_000_000L + T0.getNano();

        private final Connection c;
        private final boolean oneWrite;
        private final PreparedStatement insert;
        private final PreparedStatement insertRunning;
        private final PreparedStatement running;
        private final PreparedStatement ended;
        private final PreparedStatement live;

        JdbcStore(Path file, boolean oneWrite) {
            this.oneWrite = oneWrite;
            try {
                // The registry's driver setting: no SELECT last_insert_rowid() after each INSERT.
                java.util.Properties settings = new java.util.Properties();
                settings.setProperty("jdbc.get_generated_keys", "false");
                c = DriverManager.getConnection("jdbc:sqlite:" + file, settings);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                    s.execute("PRAGMA synchronous=NORMAL");
                    s.execute(TABLE);
                    for (String index : INDEXES) {
                        s.execute(index);
                    }
                }
                insert = c.prepareStatement("INSERT INTO sessions (id, instance_id, name, argv, cwd, tags, marker, "
                        + "state, created_at, last_activity) VALUES (?, 'inst-a', ?, '[\"python3\",\"-m\",\"http.server\","
                        + "\"8000\"]', '/srv/app', '[\"web\"]', ?, 'STARTING', ?, ?)");
                insertRunning = c.prepareStatement("INSERT INTO sessions (id, instance_id, name, argv, cwd, tags, "
                        + "marker, state, created_at, last_activity, main_boot_id, main_pid, main_start_time, started_at) "
                        + "VALUES (?, 'inst-a', ?, '[\"python3\",\"-m\",\"http.server\",\"8000\"]', '/srv/app', '[\"web\"]', "
                        + "?, 'RUNNING', ?, ?, ?, ?, ?, ?)");
                running = c.prepareStatement("UPDATE sessions SET state = 'RUNNING', main_boot_id = ?, main_pid = ?, "
                        + "main_start_time = ?, started_at = ?, last_activity = ? WHERE id = ?");
                ended = c.prepareStatement("UPDATE sessions SET state = 'STOPPED', exit_kind = 'EXITED', exit_code = 0, "
                        + "stop_signalled = 2, stop_killed = 0, stop_survivors = 0, stop_elapsed = 4000000, "
                        + "stop_reason = 'REQUESTED', ended_at = ? WHERE id = ?");
                live = c.prepareStatement("SELECT " + COLUMNS + " FROM sessions WHERE ended_at IS NULL ORDER BY created_at, id");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot set up the JDBC baseline at " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void life(String id, int i) {
            try {
                if (oneWrite) {
                    insertRunning.setString(1, id);
                    insertRunning.setString(2, "web-" + id);
                    insertRunning.setString(3, "TETHER_SESSION=" + id);
                    insertRunning.setLong(4, T0_NANOS + 1_000_000);
                    insertRunning.setLong(5, T0_NANOS + 1_000_000);
                    insertRunning.setString(6, BOOT);
                    insertRunning.setLong(7, 100 + i);
                    insertRunning.setLong(8, i);
                    insertRunning.setLong(9, T0_NANOS);
                    insertRunning.executeUpdate();
                } else {
                    intent(id);
                    running.setString(1, BOOT);
                    running.setLong(2, 100 + i);
                    running.setLong(3, i);
                    running.setLong(4, T0_NANOS);
                    running.setLong(5, T0_NANOS);
                    running.setString(6, id);
                    running.executeUpdate();
                }
                ended.setLong(1, T0_NANOS + 1_000_000_000L);
                ended.setString(2, id);
                ended.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("JDBC baseline write failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void intent(String id) {
            try {
                insert.setString(1, id);
                insert.setString(2, "web-" + id);
                insert.setString(3, "TETHER_SESSION=" + id);
                insert.setLong(4, T0_NANOS + 1_000_000);
                insert.setLong(5, T0_NANOS + 1_000_000);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("JDBC baseline insert failed: " + e.getMessage(), e);
            }
        }

        @Override
        public int readLive() {
            int n = 0;
            try (ResultSet rs = live.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    n += row[0] != null ? 1 : 0;
                }
            } catch (SQLException e) {
                throw new IllegalStateException("JDBC baseline read failed: " + e.getMessage(), e);
            }
            return n;
        }

        @Override
        public void close() {
            try {
                c.close();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot close the JDBC baseline: " + e.getMessage(), e);
            }
        }
    }
}
