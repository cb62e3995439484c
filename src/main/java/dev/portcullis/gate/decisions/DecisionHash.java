package dev.portcullis.gate.decisions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The hash chain of the decision record.
 *
 * <p><b>Definition (version 1).</b> {@code hash = lowercase-hex(SHA-256(B))} where {@code B} is the
 * byte string
 *
 * <pre>
 * B = "portcullis-decision-v1\n"
 *     || enc(seq) || enc(decision_id) || enc(ts) || enc(caller) || enc(policy)
 *     || enc(bundle_name) || enc(bundle_revision) || enc(bundle_sha256) || enc(input_sha256)
 *     || enc(result) || enc(allow) || enc(error_code) || enc(latency_micros) || enc(prev_hash)
 * </pre>
 *
 * and, for a field value {@code v}:
 * <ul>
 *   <li>{@code enc(null) = "~"} (the single byte 0x7E);</li>
 *   <li>otherwise {@code enc(v) = decimal(len(u)) || ":" || u || ","} with {@code u} the UTF-8
 *       bytes of the textual form of {@code v} and {@code decimal} its byte length in ASCII digits
 *       (a netstring), so no choice of field contents can make two different records collide
 *       textually.</li>
 * </ul>
 * Textual forms: {@code seq} and {@code latency_micros} in base-10 ASCII without sign or leading
 * zeros (negative values with "-"); {@code decision_id} as the lowercase 36-char UUID form;
 * {@code ts} in UTC as {@code yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'} (always exactly six fraction
 * digits, i.e. microseconds — the precision stored by both H2 and PostgreSQL); {@code allow} as
 * {@code true}/{@code false}; every other field exactly as stored (text columns verbatim).
 *
 * <p>{@code input} itself is not hashed; it is covered by {@code input_sha256} =
 * lowercase-hex(SHA-256(UTF-8 bytes of the raw input)), which {@code verify()} also rechecks when
 * the input is stored. The first record (seq 1) has {@code prev_hash} = 64 zeros ({@link #GENESIS});
 * each later record's {@code prev_hash} is the {@code hash} of the record with {@code seq - 1}.
 */
public final class DecisionHash {

    /** prev_hash of the first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final byte[] PREFIX = "portcullis-decision-v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private DecisionHash() {
    }

    /** Instants are stored and hashed with microsecond precision. */
    public static Instant truncate(Instant ts) {
        return ts.truncatedTo(ChronoUnit.MICROS);
    }

    public static String formatTs(Instant ts) {
        return TS.format(truncate(ts));
    }

    /** Hash of a record (its own {@code hash} field is ignored). */
    public static String hash(DecisionRecord r) {
        return hash(r.seq(), r.decisionId().toString(), r.ts(), r.caller(), r.policy(), r.bundleName(),
                r.bundleRevision(), r.bundleSha256(), r.inputSha256(), r.result(), r.allow(), r.errorCode(),
                r.latencyMicros(), r.prevHash());
    }

    static String hash(long seq, String decisionId, Instant ts, String caller, String policy, String bundleName,
            String bundleRevision, String bundleSha256, String inputSha256, String result, boolean allow,
            String errorCode, long latencyMicros, String prevHash) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256 + (result == null ? 0 : result.length()));
        b.writeBytes(PREFIX);
        enc(b, Long.toString(seq));
        enc(b, decisionId.toLowerCase(java.util.Locale.ROOT));
        enc(b, formatTs(ts));
        enc(b, caller);
        enc(b, policy);
        enc(b, bundleName);
        enc(b, bundleRevision);
        enc(b, bundleSha256);
        enc(b, inputSha256);
        enc(b, result);
        enc(b, Boolean.toString(allow));
        enc(b, errorCode);
        enc(b, Long.toString(latencyMicros));
        enc(b, prevHash);
        return sha256Hex(b.toByteArray());
    }

    private static void enc(ByteArrayOutputStream b, String v) {
        if (v == null) {
            b.write('~');
            return;
        }
        byte[] u = v.getBytes(StandardCharsets.UTF_8);
        b.writeBytes(Integer.toString(u.length).getBytes(StandardCharsets.US_ASCII));
        b.write(':');
        b.writeBytes(u);
        b.write(',');
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code s}; null for null. */
    public static String sha256Hex(String s) {
        return s == null ? null : sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
