package dev.portcullis.gate.decisions;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** JDBC mapping of the {@code decision} table, shared by the writer and the queries. */
final class DecisionRows {

    static final String COLUMNS = "seq, decision_id, ts, caller, policy, bundle_name, bundle_revision, bundle_sha256, "
            + "input_sha256, input, result, allow, error_code, latency_micros, prev_hash, hash";

    static final String INSERT = "INSERT INTO decision (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    static final String LOCK_CHAIN = "SELECT id FROM decision_chain_lock WHERE id = 1 FOR UPDATE";

    static final String TAIL = "SELECT seq, hash FROM decision ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY";

    private DecisionRows() {
    }

    static void bind(PreparedStatement ps, DecisionRecord r) throws SQLException {
        ps.setLong(1, r.seq());
        ps.setString(2, r.decisionId().toString());
        ps.setObject(3, OffsetDateTime.ofInstant(r.ts(), ZoneOffset.UTC));
        ps.setString(4, r.caller());
        ps.setString(5, r.policy());
        setString(ps, 6, r.bundleName());
        setString(ps, 7, r.bundleRevision());
        setString(ps, 8, r.bundleSha256());
        setString(ps, 9, r.inputSha256());
        setString(ps, 10, r.input());
        setString(ps, 11, r.result());
        ps.setBoolean(12, r.allow());
        setString(ps, 13, r.errorCode());
        ps.setLong(14, r.latencyMicros());
        ps.setString(15, r.prevHash());
        ps.setString(16, r.hash());
    }

    private static void setString(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }

    static DecisionRecord map(ResultSet rs) throws SQLException {
        return new DecisionRecord(
                rs.getLong("seq"),
                UUID.fromString(rs.getString("decision_id")),
                readTs(rs),
                rs.getString("caller"),
                rs.getString("policy"),
                rs.getString("bundle_name"),
                rs.getString("bundle_revision"),
                rs.getString("bundle_sha256"),
                rs.getString("input_sha256"),
                rs.getString("input"),
                rs.getString("result"),
                rs.getBoolean("allow"),
                rs.getString("error_code"),
                rs.getLong("latency_micros"),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }

    private static Instant readTs(ResultSet rs) throws SQLException {
        OffsetDateTime odt = rs.getObject("ts", OffsetDateTime.class);
        if (odt != null) {
            return odt.toInstant();
        }
        Timestamp t = rs.getTimestamp("ts");
        return t == null ? null : t.toInstant();
    }
}
