package dev.portcullis.gate.decisions;

import java.time.Instant;
import java.util.UUID;

/**
 * One committed row of the {@code decision} table. {@code ts} has microsecond precision (UTC).
 * {@code input} is null when the draft had no input or {@code portcullis.decisions.store-input=false}.
 * See {@link DecisionHash} for how {@code hash} is computed.
 */
public record DecisionRecord(
        long seq,
        UUID decisionId,
        Instant ts,
        String caller,
        String policy,
        String bundleName,
        String bundleRevision,
        String bundleSha256,
        String inputSha256,
        String input,
        String result,
        boolean allow,
        String errorCode,
        long latencyMicros,
        String prevHash,
        String hash) {
}
