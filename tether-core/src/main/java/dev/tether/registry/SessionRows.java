package dev.tether.registry;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.Signal;
import dev.tether.StopReason;
import dev.tether.TetherException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalLong;

/** How a session maps to a row of {@code sessions}, and back. */
final class SessionRows {
    static final String COLUMNS = "id, instance_id, name, argv, cwd, tags, marker, port, directory, cgroup, state, "
            + "main_boot_id, main_pid, main_start_time, exit_kind, exit_code, exit_detail, "
            + "stop_signalled, stop_killed, stop_survivors, stop_elapsed, stop_reason, "
            + "created_at, started_at, ended_at, last_activity";

    /** Inserts an intent: state STARTING, nothing spawned yet. */
    static final String INSERT_INTENT = "INSERT INTO sessions (id, instance_id, name, argv, cwd, tags, marker, port, "
            + "directory, cgroup, state, created_at, last_activity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Inserts a session whose main process runs already: the intent's columns, then the main process's. */
    static final String INSERT_RUNNING = "INSERT INTO sessions (id, instance_id, name, argv, cwd, tags, marker, port, "
            + "directory, cgroup, state, created_at, last_activity, main_boot_id, main_pid, main_start_time, started_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** How {@link Exit} variants are told apart in {@code exit_kind}. */
    private enum ExitKind { EXITED, SIGNALLED, SPAWN_FAILED, UNKNOWN }

    private static final String CORE_DUMPED = "core dumped";

    private SessionRows() {}

    static void bindIntent(PreparedStatement ps, SessionIntent in) throws SQLException {
        ps.setString(1, in.id());
        ps.setString(2, in.instanceId());
        ps.setString(3, in.name());
        ps.setString(4, JsonStrings.encode(in.argv()));
        ps.setString(5, in.cwd().toString());
        ps.setString(6, JsonStrings.encode(in.tags()));
        ps.setString(7, in.marker());
        Rows.setInt(ps, 8, in.port());
        Rows.setString(ps, 9, in.directory().map(Path::toString));
        Rows.setString(ps, 10, in.cgroup());
        ps.setString(11, SessionState.STARTING.name());
        ps.setLong(12, EpochNanos.of(in.createdAt()));
        ps.setLong(13, EpochNanos.of(in.createdAt()));
    }

    /** Binds {@link #INSERT_RUNNING}: the intent with state RUNNING, then the main process and when it started. */
    static void bindRunning(PreparedStatement ps, SessionIntent in, ProcessId main, Instant startedAt)
            throws SQLException {
        bindIntent(ps, in);
        ps.setString(11, SessionState.RUNNING.name());
        ps.setLong(13, Math.max(EpochNanos.of(in.createdAt()), EpochNanos.of(startedAt)));
        ps.setString(14, main.bootId());
        ps.setLong(15, main.pid());
        ps.setLong(16, main.startTime());
        ps.setLong(17, EpochNanos.of(startedAt));
    }

    /** Binds {@code exit_kind, exit_code, exit_detail} at {@code i, i+1, i+2}. */
    static void bindExit(PreparedStatement ps, int i, Optional<Exit> exit) throws SQLException {
        if (exit.isEmpty()) {
            ps.setNull(i, Types.VARCHAR);
            ps.setNull(i + 1, Types.INTEGER);
            ps.setNull(i + 2, Types.VARCHAR);
            return;
        }
        switch (exit.get()) {
            case Exit.Exited(int code) -> bindExit(ps, i, ExitKind.EXITED, code, null);
            case Exit.Signalled(Signal signal, boolean core) ->
                    bindExit(ps, i, ExitKind.SIGNALLED, signal.number(), core ? CORE_DUMPED : null);
            case Exit.SpawnFailed(TetherException cause) ->
                    bindExit(ps, i, ExitKind.SPAWN_FAILED, null, String.valueOf(cause.getMessage()));
            case Exit.Unknown(String why) -> bindExit(ps, i, ExitKind.UNKNOWN, null, why);
        }
    }

    private static void bindExit(PreparedStatement ps, int i, ExitKind kind, Integer code, String detail)
            throws SQLException {
        ps.setString(i, kind.name());
        if (code == null) {
            ps.setNull(i + 1, Types.INTEGER);
        } else {
            ps.setInt(i + 1, code);
        }
        if (detail == null) {
            ps.setNull(i + 2, Types.VARCHAR);
        } else {
            ps.setString(i + 2, detail);
        }
    }

    /** Binds {@code stop_signalled .. stop_reason} at {@code i .. i+4}. */
    static void bindStop(PreparedStatement ps, int i, Optional<StopFindings> stop) throws SQLException {
        if (stop.isEmpty()) {
            for (int k = 0; k < 5; k++) {
                ps.setNull(i + k, k == 4 ? Types.VARCHAR : Types.INTEGER);
            }
            return;
        }
        StopFindings f = stop.get();
        ps.setInt(i, f.signalled());
        ps.setInt(i + 1, f.killed());
        ps.setInt(i + 2, f.survivors());
        ps.setLong(i + 3, EpochNanos.of(f.elapsed()));
        ps.setString(i + 4, f.reason().name());
    }

    static SessionRecord read(ResultSet rs) throws SQLException {
        SessionIntent intent = new SessionIntent(
                rs.getString("id"),
                rs.getString("instance_id"),
                rs.getString("name"),
                JsonStrings.decode(rs.getString("argv")),
                Path.of(rs.getString("cwd")),
                new LinkedHashSet<>(JsonStrings.decode(rs.getString("tags"))),
                rs.getString("marker"),
                Rows.getInt(rs, "port"),
                Rows.getString(rs, "directory").map(Path::of),
                Rows.getString(rs, "cgroup"),
                EpochNanos.toInstant(rs.getLong("created_at")));
        return new SessionRecord(
                intent,
                SessionState.valueOf(rs.getString("state")),
                readMain(rs),
                readExit(rs),
                readStop(rs),
                Rows.getInstant(rs, "started_at"),
                Rows.getInstant(rs, "ended_at"),
                EpochNanos.toInstant(rs.getLong("last_activity")));
    }

    private static Optional<ProcessId> readMain(ResultSet rs) throws SQLException {
        String bootId = rs.getString("main_boot_id");
        if (bootId == null) {
            return Optional.empty();
        }
        return Optional.of(new ProcessId(bootId, rs.getLong("main_pid"), rs.getLong("main_start_time")));
    }

    private static Optional<Exit> readExit(ResultSet rs) throws SQLException {
        String kind = rs.getString("exit_kind");
        if (kind == null) {
            return Optional.empty();
        }
        OptionalLong code = Rows.getLong(rs, "exit_code");
        String detail = rs.getString("exit_detail");
        return Optional.of(switch (ExitKind.valueOf(kind)) {
            case EXITED -> new Exit.Exited((int) code.orElseThrow());
            case SIGNALLED -> new Exit.Signalled(Signal.of((int) code.orElseThrow()), CORE_DUMPED.equals(detail));
            case SPAWN_FAILED -> new Exit.SpawnFailed(new TetherException(detail));
            case UNKNOWN -> new Exit.Unknown(detail);
        });
    }

    private static Optional<StopFindings> readStop(ResultSet rs) throws SQLException {
        String reason = rs.getString("stop_reason");
        if (reason == null) {
            return Optional.empty();
        }
        return Optional.of(new StopFindings(rs.getInt("stop_signalled"), rs.getInt("stop_killed"),
                rs.getInt("stop_survivors"), EpochNanos.toDuration(rs.getLong("stop_elapsed")),
                StopReason.valueOf(reason)));
    }
}
