package dev.portcullis.gate.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.bundles.TestBundles;
import dev.portcullis.rego.bundle.BundleSigner;
import dev.portcullis.rego.wasm.WasmModule;
import dev.portcullis.rego.wasm.WasmReader;
import dev.portcullis.rego.wasm.WasmWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds the hostile bundles of {@code hostile/bundles.json} from their declarative description,
 * so no binary is committed. A description lists tar entries (regular files given as text, JSON,
 * a Wasm variant, zeros or a repeated pattern; links; devices; directories), how the archive is
 * compressed, and how it is signed. The standard files (manifest, the profile's compiled policy,
 * {@code {}} as data) are added for every path the description does not give itself.
 */
final class HostileBundles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HostileBundles() {}

    static byte[] build(JsonNode d, KeyPair releaseKey, KeyPair otherKey, byte[] goodWasm, List<String> entrypoints,
            String revision) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : d.path("entries")) {
            entries.add(entry(e, goodWasm));
        }
        for (int i = 0; i < d.path("many").asInt(0); i++) {
            entries.add(Entry.file("/many/" + i + ".txt", new byte[] {'x'}));
        }
        if (d.path("standard").asBoolean(true)) {
            List<Entry> std = new ArrayList<>();
            if (entries.stream().noneMatch(e -> e.path.equals("/.manifest") && !e.dup)) {
                std.add(Entry.file("/.manifest", manifest(revision, entrypoints)));
            }
            if (entries.stream().noneMatch(e -> e.path.equals("/policy.wasm") && !e.dup)) {
                std.add(Entry.file("/policy.wasm", goodWasm));
            }
            if (entries.stream().noneMatch(e -> e.path.equals("/data.json") && !e.dup)) {
                std.add(Entry.file("/data.json", "{}".getBytes(StandardCharsets.UTF_8)));
            }
            std.addAll(entries);
            entries = std;
        }
        String sign = d.path("sign").asText("good");
        if (!sign.equals("none")) {
            Map<String, byte[]> files = new TreeMap<>();
            for (Entry e : entries) {
                if (e.type == TarConstants.LF_NORMAL && e.content != null) {
                    files.putIfAbsent(e.path, e.content);
                }
            }
            byte[] sig = switch (sign) {
                case "good", "tampered" -> BundleSigner.signaturesJson(files, releaseKey.getPrivate(), "hostile");
                case "wrong-key" -> BundleSigner.signaturesJson(files, otherKey.getPrivate(), "hostile");
                case "garbage" -> "{\"signatures\":[\"a.b.c\"]}".getBytes(StandardCharsets.UTF_8);
                case "not-json" -> "signed, honestly".getBytes(StandardCharsets.UTF_8);
                default -> throw new IllegalArgumentException("unknown sign mode " + sign);
            };
            entries.add(0, Entry.file("/.signatures.json", sig));
            if (sign.equals("tampered")) {
                // the signature covers {} but the archive carries other data
                entries.replaceAll(e -> e.path.equals("/data.json")
                        ? Entry.file("/data.json", "{\"quarantine\":[]}".getBytes(StandardCharsets.UTF_8)) : e);
            }
        }
        byte[] tar = tar(entries);
        return switch (d.path("gzip").asText("normal")) {
            case "normal" -> gzip(tar);
            case "none" -> tar;
            case "truncated" -> Arrays.copyOf(gzip(tar), gzip(tar).length / 2);
            case "garbage" -> "this is not a gzip stream at all".getBytes(StandardCharsets.UTF_8);
            case "empty" -> new byte[0];
            case "double" -> gzip(gzip(tar));
            case "bomb" -> gzip(new byte[d.path("bomb_bytes").asInt(100 << 20)]);
            default -> throw new IllegalArgumentException("unknown gzip mode " + d.path("gzip"));
        };
    }

    static byte[] manifest(String revision, List<String> entrypoints) {
        ObjectNode m = JSON.createObjectNode().put("revision", revision);
        m.putArray("roots").add("");
        ArrayNode w = m.putArray("wasm");
        for (String ep : entrypoints) {
            w.addObject().put("entrypoint", ep).put("module", "/policy.wasm");
        }
        m.putObject("metadata").put("name", "gate");
        return m.toString().getBytes(StandardCharsets.UTF_8);
    }

    private record Entry(String path, byte type, byte[] content, String link, boolean dup) {
        static Entry file(String path, byte[] content) {
            return new Entry(path, TarConstants.LF_NORMAL, content, null, false);
        }
    }

    private static Entry entry(JsonNode e, byte[] goodWasm) {
        String path = e.path("path").asText();
        boolean dup = e.path("dup").asBoolean(false);
        if (e.has("symlink")) {
            return new Entry(path, TarConstants.LF_SYMLINK, null, e.get("symlink").asText(), dup);
        }
        if (e.has("hardlink")) {
            return new Entry(path, TarConstants.LF_LINK, null, e.get("hardlink").asText(), dup);
        }
        if (e.has("device")) {
            byte t = switch (e.get("device").asText()) {
                case "char" -> TarConstants.LF_CHR;
                case "block" -> TarConstants.LF_BLK;
                case "fifo" -> TarConstants.LF_FIFO;
                default -> throw new IllegalArgumentException("device " + e.get("device"));
            };
            return new Entry(path, t, null, null, dup);
        }
        if (e.path("dir").asBoolean(false)) {
            return new Entry(path, TarConstants.LF_DIR, null, null, dup);
        }
        byte[] content;
        if (e.has("text")) {
            content = HostileCorpus.unescape(e.get("text").asText());
        } else if (e.has("json")) {
            content = e.get("json").toString().getBytes(StandardCharsets.UTF_8);
        } else if (e.has("wasm")) {
            content = wasm(e.get("wasm").asText(), goodWasm);
        } else if (e.has("zeros")) {
            content = new byte[e.get("zeros").asInt()];
        } else if (e.has("repeat")) {
            JsonNode r = e.get("repeat");
            String s = r.path("head").asText("") + r.path("item").asText().repeat(r.path("times").asInt())
                    + r.path("tail").asText("");
            content = HostileCorpus.unescape(s);
        } else {
            throw new IllegalArgumentException("entry without content: " + e);
        }
        return new Entry(path, TarConstants.LF_NORMAL, content, null, dup);
    }

    /** Variants of a policy module: foreign, broken, wrong ABI, or with a start function that misbehaves. */
    static byte[] wasm(String kind, byte[] good) {
        return switch (kind) {
            case "good" -> good;
            case "foreign" -> TestBundles.nonOpaWasm();
            case "start-loop" -> TestBundles.withStartFunction(good, TestBundles.LOOP_FOREVER);
            case "start-trap" -> TestBundles.withStartFunction(good, TestBundles.TRAP);
            case "abi-2" -> withAbiVersion(good, 2);
            case "no-eval" -> withoutExport(good, "eval");
            case "no-memory-export" -> withoutExport(good, "memory");
            case "truncated" -> Arrays.copyOf(good, good.length / 2);
            case "garbage" -> "\0asm but not really a module".getBytes(StandardCharsets.UTF_8);
            case "empty" -> new byte[0];
            default -> throw new IllegalArgumentException("unknown wasm kind " + kind);
        };
    }

    private static byte[] withAbiVersion(byte[] wasm, int version) {
        WasmModule m = WasmReader.read(wasm);
        WasmModule.Export v = m.findExport("opa_wasm_abi_version");
        int local = v.index() - m.importCount(WasmModule.KIND_GLOBAL);
        m.globals = new ArrayList<>(m.globals);
        WasmModule.Global g = m.globals.get(local);
        m.globals.set(local, new WasmModule.Global(g.valType(), g.mutable(), new byte[] {0x41, (byte) version, 0x0b}));
        return WasmWriter.write(m);
    }

    private static byte[] withoutExport(byte[] wasm, String name) {
        WasmModule m = WasmReader.read(wasm);
        m.exports = new ArrayList<>(m.exports);
        m.exports.removeIf(e -> e.name().equals(name));
        return WasmWriter.write(m);
    }

    private static byte[] tar(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry te = new TarArchiveEntry(e.path, e.type, true);
                if (e.link != null) {
                    te.setLinkName(e.link);
                }
                if (e.type == TarConstants.LF_NORMAL) {
                    te.setSize(e.content.length);
                }
                te.setModTime(0);
                t.putArchiveEntry(te);
                if (e.content != null) {
                    t.write(e.content);
                }
                t.closeArchiveEntry();
            }
            t.finish();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(out)) {
            g.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Descriptions by id, in file order. */
    static Map<String, JsonNode> load(byte[] json) {
        try {
            Map<String, JsonNode> out = new LinkedHashMap<>();
            for (JsonNode n : JSON.readTree(json)) {
                if (out.put(n.get("id").asText(), n) != null) {
                    throw new IllegalArgumentException("duplicate bundle case id " + n.get("id"));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
