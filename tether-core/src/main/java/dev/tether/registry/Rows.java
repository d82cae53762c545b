package dev.tether.registry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Binding and reading the nullable columns: SQL NULL is an empty Optional, both ways. */
final class Rows {
    private Rows() {}

    static void setInstant(PreparedStatement ps, int i, Optional<Instant> t) throws SQLException {
        if (t.isPresent()) {
            ps.setLong(i, EpochNanos.of(t.get()));
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }

    static void setString(PreparedStatement ps, int i, Optional<String> s) throws SQLException {
        if (s.isPresent()) {
            ps.setString(i, s.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    static void setInt(PreparedStatement ps, int i, OptionalInt v) throws SQLException {
        if (v.isPresent()) {
            ps.setInt(i, v.getAsInt());
        } else {
            ps.setNull(i, Types.INTEGER);
        }
    }

    static Optional<Instant> getInstant(ResultSet rs, String column) throws SQLException {
        OptionalLong v = getLong(rs, column);
        return v.isPresent() ? Optional.of(EpochNanos.toInstant(v.getAsLong())) : Optional.empty();
    }

    static Optional<String> getString(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    static OptionalLong getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    static OptionalInt getInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
    }
}
