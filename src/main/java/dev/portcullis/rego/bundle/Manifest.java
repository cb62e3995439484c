package dev.portcullis.rego.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bundle's {@code /.manifest}.
 *
 * @param revision  the bundle revision ("" when not set)
 * @param roots     the data roots the bundle owns, or {@code null} when not stated (OPA then assumes {@code [""]})
 * @param wasm      the entrypoints and the module implementing each
 * @param metadata  free-form metadata object, or {@code null}
 */
public record Manifest(String revision, List<String> roots, List<WasmEntry> wasm, JsonNode metadata) {

    /** The module every Portcullis bundle keeps its policy in. */
    public static final String POLICY_MODULE = "/policy.wasm";

    /** One {@code wasm} entry: a slash-separated entrypoint ({@code pkg/rule}) and a module path. */
    public record WasmEntry(String entrypoint, String module) {
        public WasmEntry {
            Objects.requireNonNull(entrypoint, "entrypoint");
            Objects.requireNonNull(module, "module");
        }
    }

    public Manifest {
        revision = revision == null ? "" : revision;
        roots = roots == null ? null : List.copyOf(roots);
        wasm = wasm == null ? List.of() : List.copyOf(wasm);
        if (metadata != null && !metadata.isObject()) {
            throw new IllegalArgumentException("manifest metadata must be a JSON object");
        }
    }

    /** A manifest for one policy module holding {@code entrypoints}. */
    public static Manifest forEntrypoints(String revision, List<String> entrypoints) {
        List<WasmEntry> entries = new ArrayList<>();
        for (String e : entrypoints) {
            entries.add(new WasmEntry(e, POLICY_MODULE));
        }
        return new Manifest(revision, null, entries, null);
    }

    public List<String> entrypoints() {
        return wasm.stream().map(WasmEntry::entrypoint).toList();
    }

    public JsonNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("revision", revision);
        if (roots != null) {
            ArrayNode r = o.putArray("roots");
            roots.forEach(r::add);
        }
        if (!wasm.isEmpty()) {
            ArrayNode w = o.putArray("wasm");
            for (WasmEntry e : wasm) {
                w.addObject().put("entrypoint", e.entrypoint()).put("module", e.module());
            }
        }
        if (metadata != null) {
            o.set("metadata", metadata.deepCopy());
        }
        return o;
    }

    /** Canonical JSON bytes, as written into bundles. */
    public byte[] toCanonicalBytes() {
        return CanonicalJson.toBytes(toJson());
    }

    /** Parses a manifest; unknown top-level keys (e.g. {@code rego_version}) are ignored. */
    public static Manifest parse(byte[] json) throws BundleFormatException {
        JsonNode n;
        try {
            n = CanonicalJson.parse(json);
        } catch (IOException e) {
            throw new BundleFormatException("/.manifest is not valid JSON: " + CanonicalJson.describe(e), e);
        }
        if (!n.isObject()) {
            throw new BundleFormatException("/.manifest must be a JSON object, found " + n.getNodeType());
        }
        String revision = "";
        JsonNode rev = n.get("revision");
        if (rev != null && !rev.isNull()) {
            if (!rev.isTextual()) {
                throw new BundleFormatException("/.manifest: \"revision\" must be a string");
            }
            revision = rev.textValue();
        }
        List<String> roots = null;
        JsonNode r = n.get("roots");
        if (r != null && !r.isNull()) {
            if (!r.isArray()) {
                throw new BundleFormatException("/.manifest: \"roots\" must be an array of strings");
            }
            roots = new ArrayList<>();
            for (JsonNode el : r) {
                if (!el.isTextual()) {
                    throw new BundleFormatException("/.manifest: \"roots\" must be an array of strings");
                }
                roots.add(el.textValue());
            }
        }
        List<WasmEntry> wasm = new ArrayList<>();
        JsonNode w = n.get("wasm");
        if (w != null && !w.isNull()) {
            if (!w.isArray()) {
                throw new BundleFormatException("/.manifest: \"wasm\" must be an array");
            }
            int i = 0;
            for (JsonNode el : w) {
                JsonNode ep = el.get("entrypoint");
                JsonNode mod = el.get("module");
                if (!el.isObject() || ep == null || !ep.isTextual() || mod == null || !mod.isTextual()) {
                    throw new BundleFormatException("/.manifest: wasm[" + i
                            + "] must be an object with string \"entrypoint\" and \"module\"");
                }
                wasm.add(new WasmEntry(ep.textValue(), mod.textValue()));
                i++;
            }
        }
        JsonNode meta = n.get("metadata");
        if (meta != null && meta.isNull()) {
            meta = null;
        }
        if (meta != null && !meta.isObject()) {
            throw new BundleFormatException("/.manifest: \"metadata\" must be an object");
        }
        return new Manifest(revision, roots, wasm, meta);
    }
}
