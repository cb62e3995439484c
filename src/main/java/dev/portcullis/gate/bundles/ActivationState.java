package dev.portcullis.gate.bundles;

import java.time.Instant;

/**
 * The activation state of one bundle name.
 *
 * @param active      the active version (null only transiently, before the first version is chosen)
 * @param previous    the rollback target, or null
 * @param shadow      the shadow version, or null
 * @param activatedAt when the active version was activated (or restored/selected at startup)
 * @param activatedBy who activated it; {@code config} or {@code default:highest} for startup defaults
 */
public record ActivationState(String name, BundleVersion active, BundleVersion previous, BundleVersion shadow,
        Instant activatedAt, String activatedBy) {}
