package dev.portcullis.gate.decisions;

import java.util.UUID;

/**
 * A decision to be recorded. The caller generates {@code decisionId} so it can return it to its
 * client. {@code inputJson} and {@code resultJson} are stored verbatim (raw text, not re-serialised).
 *
 * @param decisionId    required, unique
 * @param caller        required (e.g. token subject, or "anonymous"), at most 256 chars
 * @param policy        required policy path (e.g. "incidents/transition"), at most 1024 chars
 * @param bundleName    nullable (no active bundle), at most 256 chars
 * @param bundleRevision nullable, at most 256 chars
 * @param bundleSha256  nullable, at most 64 chars
 * @param inputJson     nullable raw input; its SHA-256 is always recorded when present
 * @param resultJson    nullable raw result
 * @param allow         the decision
 * @param errorCode     nullable error code (any failure denies), at most 128 chars
 * @param latencyMicros evaluation latency, &gt;= 0
 */
public record DecisionDraft(
        UUID decisionId,
        String caller,
        String policy,
        String bundleName,
        String bundleRevision,
        String bundleSha256,
        String inputJson,
        String resultJson,
        boolean allow,
        String errorCode,
        long latencyMicros) {
}
