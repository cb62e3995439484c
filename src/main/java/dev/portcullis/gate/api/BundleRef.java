package dev.portcullis.gate.api;

import dev.portcullis.gate.bundles.BundleVersion;

/** Which bundle produced a decision. */
public record BundleRef(String name, String revision, String sha256) {
    public static BundleRef of(BundleVersion b) {
        return b == null ? null : new BundleRef(b.name(), b.revision(), b.sha256());
    }
}
