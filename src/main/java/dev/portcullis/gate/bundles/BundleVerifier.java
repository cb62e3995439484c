package dev.portcullis.gate.bundles;

import dev.portcullis.gate.json.InvalidJsonException;
import dev.portcullis.gate.json.LogText;
import dev.portcullis.gate.json.StrictJson;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleDigest;
import dev.portcullis.rego.bundle.BundleFormatException;
import dev.portcullis.rego.bundle.BundleReader;
import dev.portcullis.rego.bundle.BundleSignatureException;
import dev.portcullis.rego.bundle.BundleSigner;
import dev.portcullis.rego.bundle.BundleWriter;
import dev.portcullis.rego.wasm.WasmModule;
import dev.portcullis.rego.wasm.WasmReader;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Static checks of a bundle's bytes, without instantiating it: gzip/tar/manifest format, signature, and the OPA
 * ABI surface of {@code policy.wasm}. The registry adds the file-level checks (sidecar digest, name, revision) and
 * the engine's smoke evaluation.
 */
public final class BundleVerifier {

    /** The result of a successful verification. */
    public record Verified(Bundle bundle, String sha256, String signer, boolean signed) {}

    /** Exports the engine (opa-java-wasm) needs. */
    static final List<String> REQUIRED_FUNCTION_EXPORTS = List.of("eval", "builtins", "entrypoints",
            "opa_eval_ctx_new", "opa_eval_ctx_set_input", "opa_eval_ctx_set_data", "opa_eval_ctx_set_entrypoint",
            "opa_eval_ctx_get_result", "opa_malloc", "opa_free", "opa_json_parse", "opa_json_dump",
            "opa_heap_ptr_get", "opa_heap_ptr_set");

    static final Set<String> ALLOWED_IMPORTS = Set.of("memory", "opa_abort", "opa_println", "opa_builtin0",
            "opa_builtin1", "opa_builtin2", "opa_builtin3", "opa_builtin4");

    /** The runtime's own nesting limit is 1000; bundle JSON stays below it. */
    private static final StrictJson BUNDLE_JSON = new StrictJson(900);

    private BundleVerifier() {}

    /**
     * Parses and verifies {@code bytes}. A bundle with {@code /.signatures.json} must verify with one of
     * {@code keys} (signer = that key's id); without it, it is accepted only when {@code requireSignature} is false.
     */
    public static Verified verify(byte[] bytes, Map<String, PublicKey> keys, boolean requireSignature) {
        return verify(bytes, keys, requireSignature, Long.MAX_VALUE);
    }

    /**
     * As {@link #verify(byte[], Map, boolean)}, refusing ({@code too_large}) a {@code /data.json}
     * over {@code maxDataBytes} before it is parsed: data that cannot fit an instance's memory
     * would only cost the intake memory and time on its way to a certain failure.
     */
    public static Verified verify(byte[] bytes, Map<String, PublicKey> keys, boolean requireSignature,
            long maxDataBytes) {
        String sha = BundleDigest.sha256Hex(bytes);
        SortedMap<String, byte[]> files;
        try {
            files = BundleReader.readFiles(bytes);
        } catch (BundleFormatException e) {
            throw new BundleRejectedException(BundleRejectedException.CORRUPT, e.getMessage(), e);
        }
        String signer = null;
        boolean signed = files.containsKey(BundleWriter.SIGNATURES);
        if (!signed) {
            if (requireSignature) {
                throw new BundleRejectedException(BundleRejectedException.UNSIGNED,
                        "bundle is not signed (no /.signatures.json) and signatures are required");
            }
        } else {
            if (keys.isEmpty()) {
                throw new BundleRejectedException(BundleRejectedException.BAD_SIGNATURE,
                        "bundle is signed but no public keys are configured (portcullis.bundles.public-keys)");
            }
            String last = null;
            for (Map.Entry<String, PublicKey> k : keys.entrySet()) {
                try {
                    BundleSigner.verify(files, k.getValue());
                    signer = k.getKey();
                    break;
                } catch (BundleSignatureException | RuntimeException e) {
                    last = k.getKey() + ": " + e.getMessage();
                }
            }
            if (signer == null) {
                throw new BundleRejectedException(BundleRejectedException.BAD_SIGNATURE,
                        "bundle signature does not verify with any configured key (" + last + ")");
            }
        }
        byte[] data = files.get(BundleWriter.DATA);
        if (data != null && data.length > maxDataBytes) {
            throw new BundleRejectedException(BundleRejectedException.TOO_LARGE, BundleWriter.DATA + " is "
                    + data.length + " bytes; a policy instance's memory holds at most " + maxDataBytes);
        }
        for (String json : List.of(BundleWriter.MANIFEST, BundleWriter.DATA)) {
            byte[] b = files.get(json);
            if (b != null) {
                try {
                    BUNDLE_JSON.validate(b);
                } catch (InvalidJsonException e) {
                    // data the runtime would read differently (or not at all) must never load
                    throw new BundleRejectedException(BundleRejectedException.CORRUPT, json + " is not JSON the gate"
                            + " evaluates exactly: " + e.getMessage(), e);
                }
            }
        }
        Bundle bundle;
        try {
            bundle = BundleReader.fromFiles(files);
        } catch (BundleFormatException e) {
            throw new BundleRejectedException(BundleRejectedException.CORRUPT, e.getMessage(), e);
        }
        for (String ep : bundle.manifest().entrypoints()) {
            if (!Names.entrypoint(ep)) {
                throw new BundleRejectedException(BundleRejectedException.CORRUPT, "manifest entrypoint "
                        + LogText.quote(ep) + " is not a servable name (" + Names.ENTRYPOINT_RULE + ")");
            }
        }
        checkAbi(bundle.policyWasm());
        return new Verified(bundle, sha, signer, signed);
    }

    /** Throws {@code abi_incompatible} unless {@code wasm} has the OPA ABI (version 1) imports and exports. */
    public static void checkAbi(byte[] wasm) {
        WasmModule m;
        try {
            m = WasmReader.read(wasm);
        } catch (RuntimeException e) {
            throw new BundleRejectedException(BundleRejectedException.ABI_INCOMPATIBLE,
                    "policy.wasm is not a valid WebAssembly module: " + e.getMessage(), e);
        }
        boolean memoryImport = false;
        if (m.imports != null) {
            for (WasmModule.Import imp : m.imports) {
                if (!"env".equals(imp.module()) || !ALLOWED_IMPORTS.contains(imp.name())) {
                    throw new BundleRejectedException(BundleRejectedException.ABI_INCOMPATIBLE,
                            "policy.wasm imports " + imp.module() + "." + imp.name() + ", which is not part of the OPA ABI");
                }
                if ("memory".equals(imp.name()) && imp.desc() instanceof WasmModule.MemoryImport) {
                    memoryImport = true;
                }
            }
        }
        if (!memoryImport) {
            throw new BundleRejectedException(BundleRejectedException.ABI_INCOMPATIBLE,
                    "policy.wasm does not import env.memory");
        }
        for (String name : REQUIRED_FUNCTION_EXPORTS) {
            WasmModule.Export e = m.findExport(name);
            if (e == null || e.kind() != WasmModule.KIND_FUNC) {
                throw new BundleRejectedException(BundleRejectedException.ABI_INCOMPATIBLE,
                        "policy.wasm does not export function " + name);
            }
        }
        WasmModule.Export v = m.findExport("opa_wasm_abi_version");
        if (v == null || v.kind() != WasmModule.KIND_GLOBAL) {
            throw new BundleRejectedException(BundleRejectedException.ABI_INCOMPATIBLE,
                    "policy.wasm does not export the global opa_wasm_abi_version");
        }
        int importedGlobals = m.importCount(WasmModule.KIND_GLOBAL);
        int local = v.index() - importedGlobals;
        if (m.globals != null && local >= 0 && local < m.globals.size()) {
            Integer version = m.globals.get(local).constI32();
            if (version != null && version != 1) {
                throw new BundleRejectedException(BundleRejectedException.ABI_INCOMPATIBLE,
                        "policy.wasm has opa_wasm_abi_version " + version + "; only version 1 is supported");
            }
        }
    }
}
