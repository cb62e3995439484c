package dev.portcullis.rego.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy bundle: manifest, the single Wasm module, the base data document (canonical JSON
 * bytes) and, when signed, the {@code /.signatures.json} bytes.
 */
public record Bundle(Manifest manifest, byte[] policyWasm, byte[] dataJson, Optional<byte[]> signaturesJson) {

    public Bundle {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(policyWasm, "policyWasm");
        dataJson = dataJson == null ? CanonicalJson.toBytes(JsonNodeFactory.instance.objectNode()) : dataJson;
        signaturesJson = signaturesJson == null ? Optional.empty() : signaturesJson;
    }

    /** An unsigned bundle; {@code data} must be a JSON object (it is stored canonically). */
    public static Bundle of(Manifest manifest, byte[] policyWasm, JsonNode data) {
        if (data != null && !data.isObject()) {
            throw new IllegalArgumentException("bundle data must be a JSON object");
        }
        return new Bundle(manifest, policyWasm,
                CanonicalJson.toBytes(data == null ? JsonNodeFactory.instance.objectNode() : data), Optional.empty());
    }

    /** The base data document. */
    public JsonNode data() {
        try {
            return CanonicalJson.parse(dataJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Bundle withSignatures(byte[] signatures) {
        return new Bundle(manifest, policyWasm, dataJson, Optional.ofNullable(signatures));
    }

    public Bundle withoutSignatures() {
        return new Bundle(manifest, policyWasm, dataJson, Optional.empty());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bundle b
                && manifest.equals(b.manifest)
                && Arrays.equals(policyWasm, b.policyWasm)
                && Arrays.equals(dataJson, b.dataJson)
                && signaturesJson.isPresent() == b.signaturesJson.isPresent()
                && (signaturesJson.isEmpty() || Arrays.equals(signaturesJson.get(), b.signaturesJson.get()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(manifest, Arrays.hashCode(policyWasm), Arrays.hashCode(dataJson),
                signaturesJson.map(Arrays::hashCode).orElse(0));
    }

    @Override
    public String toString() {
        return "Bundle[revision=" + manifest.revision() + ", entrypoints=" + manifest.entrypoints()
                + ", wasm=" + policyWasm.length + " bytes, data=" + dataJson.length + " bytes, signed="
                + signaturesJson.isPresent() + "]";
    }
}
