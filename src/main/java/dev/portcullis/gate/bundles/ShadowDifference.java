package dev.portcullis.gate.bundles;

import java.time.Instant;

/**
 * One input on which the shadow revision disagreed with the active one. Results are the result-set JSON, or
 * {@code "error:<code>: <message>"} for a failed evaluation.
 */
public record ShadowDifference(String bundleName, String activeRevision, String shadowRevision, String entrypoint,
        String inputSha256, String activeResult, String shadowResult, Instant at) {}
