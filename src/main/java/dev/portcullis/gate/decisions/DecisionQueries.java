package dev.portcullis.gate.decisions;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Read side of the decision record (plain JDBC, read-only).
 *
 * <p>Database errors surface as {@link AuditUnavailableException}.
 */
@ApplicationScoped
public class DecisionQueries {

    public static final int MAX_LIMIT = 1000;

    @Inject
    AgroalDataSource dataSource;

    /**
     * One page of {@link #list}: records in <b>descending seq order</b> (newest first) and the
     * cursor for the next (older) page, or null when there is none.
     */
    public record Page(List<DecisionRecord> items, String nextCursor) {
    }

    /**
     * Result of {@link #verify()}. When {@code ok} is false, {@code brokenSeq}/{@code brokenDecisionId}
     * identify the first record (in seq order) that does not verify, {@code reason} says which
     * check failed ("hash", "prev_hash", "seq", "input_sha256") and {@code expected}/{@code actual}
     * are the recomputed vs stored values of that check. {@code lastSeq}/{@code lastHash} are the
     * tail of the chain as checked (null when the table is empty).
     */
    public record VerifyReport(long recordsChecked, boolean ok, Long brokenSeq, UUID brokenDecisionId, String reason,
            String expected, String actual, Long lastSeq, String lastHash) {
    }

    public Optional<DecisionRecord> find(UUID id) {
        Objects.requireNonNull(id, "id");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT " + DecisionRows.COLUMNS + " FROM decision WHERE decision_id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(DecisionRows.map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new AuditUnavailableException("decision store unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Lists decisions, newest first (seq descending).
     *
     * @param policy exact policy path, or null for all
     * @param allow  true/false, or null for both
     * @param since  inclusive lower bound on ts, or null
     * @param until  exclusive upper bound on ts, or null
     * @param limit  page size, 1..{@value #MAX_LIMIT} (values outside are clamped)
     * @param cursor null for the first page, else {@link Page#nextCursor()} of the previous page
     *               (opaque; only records with a smaller seq are returned)
     * @throws IllegalArgumentException for a malformed cursor
     */
    public Page list(String policy, Boolean allow, Instant since, Instant until, int limit, String cursor) {
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        Long before = cursor == null || cursor.isBlank() ? null : decodeCursor(cursor);
        StringBuilder sql = new StringBuilder("SELECT " + DecisionRows.COLUMNS + " FROM decision WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (policy != null) {
            sql.append(" AND policy = ?");
            args.add(policy);
        }
        if (allow != null) {
            sql.append(" AND allow = ?");
            args.add(allow);
        }
        if (since != null) {
            sql.append(" AND ts >= ?");
            args.add(OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
        }
        if (until != null) {
            sql.append(" AND ts < ?");
            args.add(OffsetDateTime.ofInstant(until, ZoneOffset.UTC));
        }
        if (before != null) {
            sql.append(" AND seq < ?");
            args.add(before);
        }
        sql.append(" ORDER BY seq DESC FETCH FIRST ").append(n + 1).append(" ROWS ONLY");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<DecisionRecord> items = new ArrayList<>(Math.min(n + 1, 64));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(DecisionRows.map(rs));
                }
            }
            String next = null;
            if (items.size() > n) {
                items.remove(n);
                next = encodeCursor(items.get(n - 1).seq());
            }
            return new Page(List.copyOf(items), next);
        } catch (SQLException e) {
            throw new AuditUnavailableException("decision store unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code limit} records with {@code seq > afterSeq}, in ascending seq order (the decision-log shipper reads
     * the record forward from its acknowledged position with this).
     */
    public List<DecisionRecord> after(long afterSeq, int limit) {
        int n = Math.max(1, Math.min(MAX_LIMIT, limit));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT "
                + DecisionRows.COLUMNS + " FROM decision WHERE seq > ? ORDER BY seq ASC FETCH FIRST " + n + " ROWS ONLY")) {
            ps.setLong(1, afterSeq);
            List<DecisionRecord> out = new ArrayList<>(Math.min(n, 256));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(DecisionRows.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new AuditUnavailableException("decision store unavailable: " + e.getMessage(), e);
        }
    }

    /** The highest seq in the record, 0 when it is empty. */
    public long lastSeq() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DecisionRows.TAIL);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new AuditUnavailableException("decision store unavailable: " + e.getMessage(), e);
        }
    }

    static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + seq).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code cursor} has the form {@link Page#nextCursor()} takes (checked before any query). */
    public static boolean validCursor(String cursor) {
        if (cursor == null || cursor.length() > 32) {
            return false;
        }
        try {
            return decodeCursor(cursor) > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static long decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!s.startsWith("s:") || s.length() < 3 || s.length() > 21 || !s.substring(2).chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("invalid cursor");
            }
            return Long.parseLong(s.substring(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }

    /**
     * Walks the whole chain in seq order and recomputes every hash (see {@link DecisionHash}). Checks,
     * per record: seq is the previous seq + 1 (the first is 1); prev_hash equals the previous
     * record's hash (64 zeros for the first); hash equals the recomputed hash; if the input is
     * stored, input_sha256 equals its SHA-256. Stops at the first broken link. Deleting records
     * at the tail cannot be detected by the chain alone (compare with an externally kept tail).
     */
    public VerifyReport verify() {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            try {
                c.setAutoCommit(false); // lets the PostgreSQL driver stream with a cursor
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + DecisionRows.COLUMNS + " FROM decision ORDER BY seq ASC")) {
                    ps.setFetchSize(500);
                    try (ResultSet rs = ps.executeQuery()) {
                        return walk(rs);
                    }
                } finally {
                    c.rollback();
                }
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new AuditUnavailableException("decision store unavailable: " + e.getMessage(), e);
        }
    }

    private static VerifyReport walk(ResultSet rs) throws SQLException {
        long checked = 0;
        long expectedSeq = 1;
        String prev = DecisionHash.GENESIS;
        Long lastSeq = null;
        while (rs.next()) {
            DecisionRecord r = DecisionRows.map(rs);
            checked++;
            if (r.seq() != expectedSeq) {
                return broken(checked, r, "seq", Long.toString(expectedSeq), Long.toString(r.seq()), lastSeq, prev);
            }
            if (!prev.equals(r.prevHash())) {
                return broken(checked, r, "prev_hash", prev, r.prevHash(), lastSeq, prev);
            }
            String h = DecisionHash.hash(r);
            if (!h.equals(r.hash())) {
                return broken(checked, r, "hash", h, r.hash(), lastSeq, prev);
            }
            if (r.input() != null) {
                String ih = DecisionHash.sha256Hex(r.input());
                if (!ih.equals(r.inputSha256())) {
                    return broken(checked, r, "input_sha256", ih, r.inputSha256(), lastSeq, prev);
                }
            }
            prev = r.hash();
            lastSeq = r.seq();
            expectedSeq = r.seq() + 1;
        }
        return new VerifyReport(checked, true, null, null, null, null, null, lastSeq, lastSeq == null ? null : prev);
    }

    private static VerifyReport broken(long checked, DecisionRecord r, String reason, String expected, String actual,
            Long lastSeq, String lastHash) {
        return new VerifyReport(checked, false, r.seq(), r.decisionId(), reason, expected, actual, lastSeq,
                lastSeq == null ? null : lastHash);
    }
}
