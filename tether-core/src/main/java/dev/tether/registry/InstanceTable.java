package dev.tether.registry;

import dev.tether.ProcessId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Supervisor instances: one row per supervisor run. */
final class InstanceTable {
    private static final String COLUMNS = "id, boot_id, pid, start_time, host, user_name, started_at, ended_at";

    private final Database db;

    InstanceTable(Database db) {
        this.db = db;
    }

    void insert(InstanceRecord r) {
        db.write(() -> {
            PreparedStatement ps = db.prepare(
                    "INSERT INTO instances (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            ps.setString(1, r.id());
            ps.setString(2, r.process().bootId());
            ps.setLong(3, r.process().pid());
            ps.setLong(4, r.process().startTime());
            ps.setString(5, r.host());
            ps.setString(6, r.user());
            ps.setLong(7, EpochNanos.of(r.startedAt()));
            Rows.setInstant(ps, 8, r.endedAt());
            try {
                ps.executeUpdate();
            } catch (SQLException e) {
                if (RegistryErrors.code(e) == RegistryErrors.SQLITE_CONSTRAINT) {
                    throw new IllegalArgumentException("instance " + r.id() + " is already in registry "
                            + db.file() + "; use a fresh instance id", e);
                }
                throw e;
            }
            return null;
        });
    }

    boolean markEnded(String id, Instant at) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare("UPDATE instances SET ended_at = ? WHERE id = ? AND ended_at IS NULL");
            ps.setLong(1, EpochNanos.of(at));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        });
    }

    /**
     * Deletes instances that ended before {@code endedBefore} (epoch nanoseconds) and that no
     * session or lease row names any more; returns how many.
     */
    int pruneEnded(long endedBefore) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare("DELETE FROM instances WHERE ended_at < ? "
                    + "AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.instance_id = instances.id) "
                    + "AND NOT EXISTS (SELECT 1 FROM port_leases p WHERE p.instance_id = instances.id)");
            ps.setLong(1, endedBefore);
            return ps.executeUpdate();
        });
    }

    Optional<InstanceRecord> find(String id) {
        return db.read(() -> {
            PreparedStatement ps = db.prepare("SELECT " + COLUMNS + " FROM instances WHERE id = ?");
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    List<InstanceRecord> list(InstanceFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM instances WHERE 1 = 1");
        if (filter.notEndedOnly()) {
            sql.append(" AND ended_at IS NULL");
        }
        filter.host().ifPresent(h -> sql.append(" AND host = ?"));
        sql.append(" ORDER BY started_at, id");
        return db.read(() -> {
            PreparedStatement ps = db.prepare(sql.toString());
            if (filter.host().isPresent()) {
                ps.setString(1, filter.host().get());
            }
            List<InstanceRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    private static InstanceRecord read(ResultSet rs) throws SQLException {
        return new InstanceRecord(
                rs.getString("id"),
                new ProcessId(rs.getString("boot_id"), rs.getLong("pid"), rs.getLong("start_time")),
                rs.getString("host"),
                rs.getString("user_name"),
                EpochNanos.toInstant(rs.getLong("started_at")),
                Rows.getInstant(rs, "ended_at"));
    }
}
