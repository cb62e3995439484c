package dev.portcullis.gate.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.engine.PolicyEngine;
import dev.portcullis.gate.engine.SmokeResult;
import dev.portcullis.gate.json.LogText;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;

/**
 * The one way bundle bytes become a {@link BundleVersion}, whatever their source (a file in the
 * bundles directory, an upload): verify (format, signature, strict JSON, ABI, names) → smoke
 * evaluation under the engine's intake budget. It holds no registry lock, so a bundle that takes
 * long (or forever) to instantiate never blocks activation, rollback or the directory poller.
 */
final class BundleIntake {

    /** Where the bytes came from and what the source already fixes about them. */
    record Source(String description, String name, String revision) {
        /** An upload: the name comes from the manifest, the revision too. */
        static Source upload() {
            return new Source("upload", null, null);
        }

        /** A file {@code <dir>/<name>/<revision>.tar.gz}: both are fixed by the path. */
        static Source file(String path, String name, String revision) {
            return new Source(path, name, revision);
        }
    }

    private final BundlesConfig config;
    private final PolicyEngine engine;
    private final Map<String, PublicKey> keys;

    BundleIntake(BundlesConfig config, PolicyEngine engine, Map<String, PublicKey> keys) {
        this.config = config;
        this.engine = engine;
        this.keys = keys;
    }

    /** Static checks only: the verified bundle and the name/revision it will be stored under. */
    Checked check(byte[] bytes, Source source) {
        BundleVerifier.Verified vd = BundleVerifier.verify(bytes, keys, config.requireSignature(),
                engine.memoryCapBytes());
        String revision = vd.bundle().manifest().revision();
        String meta = metadataName(vd.bundle().manifest().metadata());
        String name;
        if (source.name() != null) {
            if (meta != null && !meta.equals(source.name())) {
                throw new BundleRejectedException(BundleRejectedException.NAME_MISMATCH, "manifest metadata.name "
                        + LogText.quote(meta) + " does not match the bundle directory " + source.name());
            }
            name = source.name();
        } else {
            name = meta != null ? meta : config.defaultName();
        }
        if (!Names.bundleName(name)) {
            throw new BundleRejectedException(BundleRejectedException.NAME_MISMATCH, "bundle name "
                    + LogText.quote(name) + " is not a valid name (" + Names.BUNDLE_NAME_RULE + ")");
        }
        if (!Names.revision(revision)) {
            throw new BundleRejectedException(BundleRejectedException.NAME_MISMATCH, "manifest revision "
                    + LogText.quote(revision) + " is missing or not usable as a file name (" + Names.BUNDLE_NAME_RULE
                    + ")");
        }
        if (source.revision() != null && !source.revision().equals(revision)) {
            throw new BundleRejectedException(BundleRejectedException.NAME_MISMATCH, "manifest revision "
                    + LogText.quote(revision) + " does not match the file name " + source.revision() + ".tar.gz");
        }
        return new Checked(vd, name, revision);
    }

    /** The result of {@link #check}. */
    record Checked(BundleVerifier.Verified verified, String name, String revision) {
        String sha256() {
            return verified.sha256();
        }
    }

    /** Runs the smoke evaluation (under the engine's budget) and returns the loadable version. */
    BundleVersion admit(Checked c, Source source) {
        BundleVerifier.Verified vd = c.verified();
        BundleVersion v = new BundleVersion(c.name(), c.revision(), vd.sha256(), vd.signer(), vd.signed(),
                Instant.now(), source.description(), vd.bundle().manifest().entrypoints(), vd.bundle(),
                vd.bundle().policyWasm());
        SmokeResult r = engine.smokeTest(v);
        if (!r.ok()) {
            engine.evict(v);
            throw new BundleRejectedException(r.instantiationFailed() ? BundleRejectedException.ABI_INCOMPATIBLE
                    : BundleRejectedException.SMOKE_FAILED, "smoke evaluation failed: " + r.summary());
        }
        return v;
    }

    private static String metadataName(JsonNode metadata) {
        if (metadata == null) {
            return null;
        }
        JsonNode n = metadata.get("name");
        return n != null && n.isTextual() ? n.textValue() : null;
    }
}
