package dev.portcullis.gate.bundles;

import dev.portcullis.rego.bundle.Bundle;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One loaded, verified bundle revision. Immutable; identity is (name, revision, sha256).
 *
 * @param name        bundle name: the directory in {@code bundles/<name>/<revision>.tar.gz} (uploads: manifest
 *                    {@code metadata.name} or {@code portcullis.bundles.default-name})
 * @param revision    the manifest revision (equals the file name stem)
 * @param sha256      lower-case hex SHA-256 of the {@code .tar.gz} bytes
 * @param signer      key id that verified the signature, or null when unsigned
 * @param signed      whether the bundle carried a verified signature
 * @param loadedAt    when this process loaded it
 * @param source      the file path, or "upload"
 * @param entrypoints the manifest's wasm entrypoints ({@code pkg/rule})
 * @param bundle      the parsed bundle
 * @param wasm        the policy.wasm bytes
 */
public record BundleVersion(String name, String revision, String sha256, String signer, boolean signed,
        Instant loadedAt, String source, List<String> entrypoints, Bundle bundle, byte[] wasm) {

    public BundleVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(sha256, "sha256");
        entrypoints = List.copyOf(entrypoints);
    }

    /** A stable key: {@code name@revision#sha256-prefix}. */
    public String key() {
        return name + "@" + revision + "#" + sha256.substring(0, Math.min(12, sha256.length()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BundleVersion v && name.equals(v.name) && revision.equals(v.revision)
                && sha256.equals(v.sha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, revision, sha256);
    }

    @Override
    public String toString() {
        return "BundleVersion[" + name + "@" + revision + ", sha256=" + sha256 + ", signer=" + signer + ", source="
                + source + ", entrypoints=" + entrypoints + "]";
    }
}
