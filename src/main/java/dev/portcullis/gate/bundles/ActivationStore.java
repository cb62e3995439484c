package dev.portcullis.gate.bundles;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Plain-JDBC access to {@code bundle_activation} and {@code shadow_difference} (migration
 * {@code V2__bundle_activation.sql}); portable between H2 2.x and PostgreSQL.
 */
public final class ActivationStore {

    /**
     * A row of {@code bundle_activation}. {@code generation} grows by one with every saved change of
     * the row (0 for a choice not yet saved); instances follow rows newer than the one they applied.
     */
    public record Activation(String bundleName, String revision, String previousRevision, Instant activatedAt,
            String activatedBy, long generation) {

        Activation withGeneration(long g) {
            return new Activation(bundleName, revision, previousRevision, activatedAt, activatedBy, g);
        }
    }

    static final int MAX_RESULT_CHARS = 100_000;

    private final DataSource ds;

    public ActivationStore(DataSource ds) {
        this.ds = ds;
    }

    public Map<String, Activation> loadAll() throws SQLException {
        Map<String, Activation> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT bundle_name, revision, previous_revision, "
                        + "activated_at, activated_by, generation FROM bundle_activation ORDER BY bundle_name");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                OffsetDateTime at = rs.getObject(4, OffsetDateTime.class);
                out.put(rs.getString(1), new Activation(rs.getString(1), rs.getString(2), rs.getString(3),
                        at == null ? null : at.toInstant(), rs.getString(5), rs.getLong(6)));
            }
        }
        return out;
    }

    /**
     * Upserts the activation of {@code name} (UPDATE, then INSERT when no row existed) in one transaction.
     *
     * @return the row's new generation
     */
    public long save(Activation a) throws SQLException {
        try (Connection c = ds.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement ps = c.prepareStatement("UPDATE bundle_activation SET revision = ?, "
                        + "previous_revision = ?, activated_at = ?, activated_by = ?, generation = generation + 1 "
                        + "WHERE bundle_name = ?")) {
                    ps.setString(1, a.revision());
                    ps.setString(2, a.previousRevision());
                    ps.setObject(3, OffsetDateTime.ofInstant(a.activatedAt(), ZoneOffset.UTC));
                    ps.setString(4, a.activatedBy());
                    ps.setString(5, a.bundleName());
                    n = ps.executeUpdate();
                }
                if (n == 0) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO bundle_activation (bundle_name, "
                            + "revision, previous_revision, activated_at, activated_by, generation) "
                            + "VALUES (?, ?, ?, ?, ?, 1)")) {
                        ps.setString(1, a.bundleName());
                        ps.setString(2, a.revision());
                        ps.setString(3, a.previousRevision());
                        ps.setObject(4, OffsetDateTime.ofInstant(a.activatedAt(), ZoneOffset.UTC));
                        ps.setString(5, a.activatedBy());
                        ps.executeUpdate();
                    }
                }
                long generation;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT generation FROM bundle_activation WHERE bundle_name = ?")) {
                    ps.setString(1, a.bundleName());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("bundle_activation row of " + a.bundleName() + " vanished");
                        }
                        generation = rs.getLong(1);
                    }
                }
                c.commit();
                return generation;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    public void insertDifference(ShadowDifference d) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO shadow_difference (bundle_name, "
                        + "active_revision, shadow_revision, entrypoint, input_sha256, active_result, shadow_result, "
                        + "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, d.bundleName());
            ps.setString(2, d.activeRevision());
            ps.setString(3, d.shadowRevision());
            ps.setString(4, d.entrypoint());
            ps.setString(5, d.inputSha256());
            ps.setString(6, clip(d.activeResult()));
            ps.setString(7, clip(d.shadowResult()));
            ps.setObject(8, OffsetDateTime.ofInstant(d.at(), ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** Number of stored differences for {@code name} (for tests and the API). */
    public long countDifferences(String name) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM shadow_difference WHERE bundle_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_RESULT_CHARS ? s : s.substring(0, MAX_RESULT_CHARS);
    }
}
