package dev.tether.registry;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Sessions through their life: intent (STARTING), RUNNING, STOPPING, then one terminal state.
 * Every transition names the states it may leave, so a late writer (a stop racing a
 * reconciliation) changes nothing and learns so from the {@code false} it gets back.
 */
final class SessionTable {
    private static final String LIVE = "ended_at IS NULL";
    /** Rows deleted per transaction by a prune, so that it never holds the write lock for long. */
    static final int PRUNE_BATCH = 500;

    private final Database db;
    private final PortLeaseTable leases;

    SessionTable(Database db, PortLeaseTable leases) {
        this.db = db;
        this.leases = leases;
    }

    void insertIntent(SessionIntent intent) {
        db.write(() -> {
            PreparedStatement ps = db.prepare(SessionRows.INSERT_INTENT);
            SessionRows.bindIntent(ps, intent);
            insert(ps, intent);
            if (intent.port().isPresent()) {
                leases.lease(intent.port().getAsInt(), intent.id(), intent.createdAt());
            }
            return null;
        });
    }

    void insertRunning(SessionIntent intent, ProcessId main, Instant at) {
        if (intent.port().isPresent()) {
            throw new IllegalArgumentException("session " + intent.id() + " leases port " + intent.port().getAsInt()
                    + ": record its intent (and lease) before the spawn, not the running session after it");
        }
        db.write(() -> {
            PreparedStatement ps = db.prepare(SessionRows.INSERT_RUNNING);
            SessionRows.bindRunning(ps, intent, main, at);
            insert(ps, intent);
            return null;
        });
    }

    /** Runs a bound insert of {@code intent}'s row; a constraint it breaks (id taken, no instance) is named. */
    private void insert(PreparedStatement ps, SessionIntent intent) throws SQLException {
        try {
            ps.executeUpdate();
        } catch (SQLException e) {
            if (RegistryErrors.code(e) == RegistryErrors.SQLITE_CONSTRAINT) {
                throw rejected(intent, e);
            }
            throw e;
        }
    }

    private IllegalArgumentException rejected(SessionIntent intent, SQLException e) {
        String why = find(intent.id()).isPresent()
                ? "a session with that id is already recorded; use a fresh id"
                : "instance " + intent.instanceId() + " is not recorded; record the instance first";
        return new IllegalArgumentException("cannot record session " + intent.id() + " in registry " + db.file()
                + ": " + why, e);
    }

    boolean markRunning(String id, ProcessId main, Instant at) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare("UPDATE sessions SET state = 'RUNNING', main_boot_id = ?, "
                    + "main_pid = ?, main_start_time = ?, started_at = ?, last_activity = max(last_activity, ?) "
                    + "WHERE id = ? AND state = 'STARTING'");
            ps.setString(1, main.bootId());
            ps.setLong(2, main.pid());
            ps.setLong(3, main.startTime());
            ps.setLong(4, EpochNanos.of(at));
            ps.setLong(5, EpochNanos.of(at));
            ps.setString(6, id);
            return ps.executeUpdate() == 1;
        });
    }

    boolean markStopping(String id) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare(
                    "UPDATE sessions SET state = 'STOPPING' WHERE id = ? AND " + LIVE + " AND state <> 'STOPPING'");
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        });
    }

    /** Ends a live session and releases its port leases, in one transaction. */
    boolean markEnded(String id, SessionState state, Optional<Exit> exit, Optional<StopFindings> stop, Instant at) {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a session ends in a terminal state, not " + state);
        }
        return db.write(() -> {
            PreparedStatement ps = db.prepare("UPDATE sessions SET state = ?, exit_kind = ?, exit_code = ?, "
                    + "exit_detail = ?, stop_signalled = ?, stop_killed = ?, stop_survivors = ?, stop_elapsed = ?, "
                    + "stop_reason = ?, ended_at = ? WHERE id = ? AND " + LIVE);
            ps.setString(1, state.name());
            SessionRows.bindExit(ps, 2, exit);
            SessionRows.bindStop(ps, 5, stop);
            ps.setLong(10, EpochNanos.of(at));
            ps.setString(11, id);
            if (ps.executeUpdate() != 1) {
                return false;
            }
            leases.releaseAllOf(id);
            return true;
        });
    }

    boolean touch(String id, Instant at) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare(
                    "UPDATE sessions SET last_activity = max(last_activity, ?) WHERE id = ? AND " + LIVE);
            ps.setLong(1, EpochNanos.of(at));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        });
    }

    /** Deletes a session that never got past its intent, with its leases (by cascade). */
    boolean deleteIntent(String id) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare("DELETE FROM sessions WHERE id = ? AND state = 'STARTING'");
            ps.setString(1, id);
            return ps.executeUpdate() == 1;
        });
    }

    /**
     * Deletes ended rows that ended before {@code endedBefore} (epoch nanoseconds) or are not among
     * the newest {@code keepNewest} ended ones (by end time, then id); live rows are never touched.
     * Batches of {@link #PRUNE_BATCH}, each its own transaction. Returns how many went.
     */
    int pruneEnded(long endedBefore, int keepNewest) {
        Optional<EndKey> beyond = db.read(() -> {
            PreparedStatement ps = db.prepare("SELECT ended_at, id FROM sessions WHERE ended_at IS NOT NULL "
                    + "ORDER BY ended_at DESC, id DESC LIMIT 1 OFFSET ?");
            ps.setInt(1, keepNewest);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new EndKey(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        });
        // Without a row beyond the newest keepNewest, only age counts: no row is at or below (MIN, "").
        EndKey last = beyond.orElse(new EndKey(Long.MIN_VALUE, ""));
        int total = 0;
        while (true) {
            int deleted = db.write(() -> {
                PreparedStatement ps = db.prepare("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
                        + "WHERE ended_at IS NOT NULL AND (ended_at < ? OR (ended_at, id) <= (?, ?)) LIMIT " + PRUNE_BATCH + ")");
                ps.setLong(1, endedBefore);
                ps.setLong(2, last.endedAt());
                ps.setString(3, last.id());
                return ps.executeUpdate();
            });
            total += deleted;
            if (deleted < PRUNE_BATCH) {
                return total;
            }
        }
    }

    /** Where an ended row sorts for pruning: by end time, then id. */
    private record EndKey(long endedAt, String id) {}

    Optional<SessionRecord> find(String id) {
        return db.read(() -> {
            PreparedStatement ps = db.prepare("SELECT " + SessionRows.COLUMNS + " FROM sessions WHERE id = ?");
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    List<SessionRecord> list(SessionFilter filter) {
        List<SessionState> states = filter.states().stream().sorted(Comparator.naturalOrder()).toList();
        StringBuilder sql = new StringBuilder("SELECT " + SessionRows.COLUMNS + " FROM sessions WHERE 1 = 1");
        if (filter.isLiveOnly()) {
            sql.append(" AND ").append(LIVE); // the same condition as the partial index sessions_live
        } else if (!states.isEmpty()) {
            sql.append(" AND state IN (").append("?, ".repeat(states.size() - 1)).append("?)");
        }
        filter.instanceId().ifPresent(x -> sql.append(" AND instance_id = ?"));
        filter.name().ifPresent(x -> sql.append(" AND name = ?"));
        filter.tag().ifPresent(x -> sql.append(" AND EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?)"));
        sql.append(" ORDER BY created_at, id");
        return db.read(() -> {
            PreparedStatement ps = db.prepare(sql.toString());
            int i = 1;
            if (!filter.isLiveOnly()) {
                for (SessionState s : states) {
                    ps.setString(i++, s.name());
                }
            }
            for (Optional<String> value : List.of(filter.instanceId(), filter.name(), filter.tag())) {
                if (value.isPresent()) {
                    ps.setString(i++, value.get());
                }
            }
            List<SessionRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    private SessionRecord read(ResultSet rs) throws SQLException {
        try {
            return SessionRows.read(rs);
        } catch (IllegalArgumentException | NoSuchElementException | NullPointerException e) {
            throw RegistryErrors.corrupt(db.file(), "session row " + rs.getString("id") + " cannot be read: "
                    + e.getMessage(), e);
        }
    }
}
