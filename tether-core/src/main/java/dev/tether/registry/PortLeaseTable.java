package dev.tether.registry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Port leases: at most one per port, each held by a live session. The port is the primary key,
 * and a lease is checked and taken in one write transaction, so two supervisors never get the same port.
 */
final class PortLeaseTable {
    private static final String COLUMNS = "port, session_id, instance_id, leased_at";

    private final Database db;

    PortLeaseTable(Database db) {
        this.db = db;
    }

    /** Leases {@code port} to the live session {@code sessionId}; joins the caller's transaction if any. */
    PortLease lease(int port, String sessionId, Instant at) {
        PortNumbers.check(port);
        return db.write(() -> {
            Optional<PortLease> holder = find(port);
            if (holder.isPresent()) {
                throw new PortLeasedException(holder.get());
            }
            PreparedStatement ps = db.prepare("INSERT INTO port_leases (" + COLUMNS + ") "
                    + "SELECT ?, id, instance_id, ? FROM sessions WHERE id = ? AND ended_at IS NULL");
            ps.setInt(1, port);
            ps.setLong(2, EpochNanos.of(at));
            ps.setString(3, sessionId);
            if (ps.executeUpdate() != 1) {
                throw new IllegalArgumentException("cannot lease port " + port + " to session " + sessionId
                        + ": registry " + db.file() + " has no live session with that id; record its intent first");
            }
            return find(port).orElseThrow();
        });
    }

    boolean release(int port) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare("DELETE FROM port_leases WHERE port = ?");
            ps.setInt(1, port);
            return ps.executeUpdate() == 1;
        });
    }

    /** Releases every port of a session; joins the caller's transaction if any. */
    int releaseAllOf(String sessionId) {
        return db.write(() -> {
            PreparedStatement ps = db.prepare("DELETE FROM port_leases WHERE session_id = ?");
            ps.setString(1, sessionId);
            return ps.executeUpdate();
        });
    }

    Optional<PortLease> find(int port) {
        return db.read(() -> {
            PreparedStatement ps = db.prepare("SELECT " + COLUMNS + " FROM port_leases WHERE port = ?");
            ps.setInt(1, port);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    List<PortLease> all() {
        return db.read(() -> {
            PreparedStatement ps = db.prepare("SELECT " + COLUMNS + " FROM port_leases ORDER BY port");
            List<PortLease> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        });
    }

    private static PortLease read(ResultSet rs) throws SQLException {
        return new PortLease(rs.getInt("port"), rs.getString("session_id"), rs.getString("instance_id"),
                EpochNanos.toInstant(rs.getLong("leased_at")));
    }
}
