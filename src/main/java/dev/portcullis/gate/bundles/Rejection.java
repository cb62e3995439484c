package dev.portcullis.gate.bundles;

import java.time.Instant;

/**
 * A bundle that was refused (listed by GET /v1/bundles).
 *
 * @param source   file path, or "upload"
 * @param name     bundle name when known, else null
 * @param revision revision when known, else null
 * @param reason   a {@link BundleRejectedException} reason code
 * @param message  human-readable detail
 * @param at       when it was refused
 */
public record Rejection(String source, String name, String revision, String reason, String message, Instant at) {}
