package dev.portcullis.gate.decisionlog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The acknowledged position of a sink in {@code decision_log_position}, and the lease that makes one replica the
 * shipper. Every change is a single conditional statement, so two replicas can never both advance the position
 * from the same value: the one that lost the lease ships (at most) a duplicate batch, never a gap.
 */
final class ShippingPosition {

    private final DataSource ds;
    private final String sink;
    private final String owner;

    ShippingPosition(DataSource ds, String sink, String owner) {
        this.ds = ds;
        this.sink = sink;
        this.owner = owner;
    }

    /**
     * Takes or renews the lease until {@code until}; returns the acknowledged seq when this replica holds the lease
     * now, or -1 when another replica does.
     */
    long acquire(Instant now, Instant until) throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO decision_log_position (sink, acked_seq) "
                    + "SELECT CAST(? AS VARCHAR(200)), 0 WHERE NOT EXISTS "
                    + "(SELECT 1 FROM decision_log_position WHERE sink = ?)")) {
                ins.setString(1, sink);
                ins.setString(2, sink);
                ins.executeUpdate();
            } catch (SQLException e) {
                // another replica inserted the row at the same moment; the UPDATE below decides
            }
            try (PreparedStatement up = c.prepareStatement("UPDATE decision_log_position SET lease_owner = ?, "
                    + "lease_until = ? WHERE sink = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)")) {
                up.setString(1, owner);
                up.setObject(2, utc(until));
                up.setString(3, sink);
                up.setString(4, owner);
                up.setObject(5, utc(now));
                if (up.executeUpdate() != 1) {
                    return -1;
                }
            }
            return acked(c);
        }
    }

    /** Advances the position from {@code from} to {@code to}; false when it moved meanwhile or the lease was lost. */
    boolean advance(long from, long to, Instant now) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement up = c.prepareStatement("UPDATE decision_log_position SET acked_seq = ?, acked_at = ? "
                        + "WHERE sink = ? AND acked_seq = ? AND lease_owner = ?")) {
            up.setLong(1, to);
            up.setObject(2, utc(now));
            up.setString(3, sink);
            up.setLong(4, from);
            up.setString(5, owner);
            return up.executeUpdate() == 1;
        }
    }

    /** Gives the lease up (on shutdown) so a standby replica takes over at once. */
    void release() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement up = c.prepareStatement("UPDATE decision_log_position SET lease_owner = NULL, "
                        + "lease_until = NULL WHERE sink = ? AND lease_owner = ?")) {
            up.setString(1, sink);
            up.setString(2, owner);
            up.executeUpdate();
        }
    }

    /** The acknowledged seq (0 when the sink has never shipped). */
    long acked() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return acked(c);
        }
    }

    private long acked(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT acked_seq FROM decision_log_position WHERE sink = ?")) {
            ps.setString(1, sink);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
