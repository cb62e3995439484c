package dev.portcullis.rego.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads and validates {@code .tar.gz} bundles. Every failure is a {@link BundleFormatException}
 * whose message says what is wrong: not gzip, truncated or corrupt, unsafe paths, entries or
 * totals over the {@link Limits}, missing or malformed manifest, wasm entries naming absent
 * modules, malformed or conflicting data.
 */
public final class BundleReader {

    /** Size caps, checked while decompressing (so a gzip bomb is stopped early). */
    public record Limits(long maxUncompressedBytes, long maxEntryBytes, int maxEntries) {
        public static final Limits DEFAULT = new Limits(64L << 20, 32L << 20, 10_000);
    }

    /** One regular file of a bundle. */
    public record FileEntry(String name, long size) {}

    private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm', 1, 0, 0, 0};

    private BundleReader() {}

    public static Bundle read(byte[] bytes) throws BundleFormatException {
        return read(bytes, Limits.DEFAULT);
    }

    public static Bundle read(byte[] bytes, Limits limits) throws BundleFormatException {
        return read(new ByteArrayInputStream(bytes), limits);
    }

    public static Bundle read(InputStream in) throws BundleFormatException {
        return read(in, Limits.DEFAULT);
    }

    public static Bundle read(InputStream in, Limits limits) throws BundleFormatException {
        return fromFiles(readFiles(in, limits));
    }

    /** The regular files of a bundle, by normalised name ({@code /dir/file}), sorted. */
    public static SortedMap<String, byte[]> readFiles(byte[] bytes) throws BundleFormatException {
        return readFiles(new ByteArrayInputStream(bytes), Limits.DEFAULT);
    }

    public static List<FileEntry> list(byte[] bytes) throws BundleFormatException {
        List<FileEntry> out = new ArrayList<>();
        readFiles(bytes).forEach((k, v) -> out.add(new FileEntry(k, v.length)));
        return out;
    }

    public static SortedMap<String, byte[]> readFiles(InputStream raw, Limits limits) throws BundleFormatException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        GZIPInputStream gz;
        try {
            gz = new GZIPInputStream(raw, 64 * 1024);
        } catch (ZipException e) {
            throw new BundleFormatException("not a gzip-compressed bundle (bad gzip header: " + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new BundleFormatException("not a gzip-compressed bundle (file is empty or truncated in the gzip header)", e);
        } catch (IOException e) {
            throw new BundleFormatException("cannot read bundle: " + e.getMessage(), e);
        }
        LimitedInputStream limited = new LimitedInputStream(gz, limits.maxUncompressedBytes());
        try (TarArchiveInputStream tar = new TarArchiveInputStream(limited)) {
            TarArchiveEntry entry;
            int count = 0;
            while ((entry = tar.getNextEntry()) != null) {
                if (++count > limits.maxEntries()) {
                    throw new BundleFormatException("bundle has more than " + limits.maxEntries() + " entries");
                }
                String name = normalise(entry.getName());
                if (entry.isDirectory()) {
                    continue;
                }
                if (name.equals("/")) {
                    throw new BundleFormatException("entry " + entry.getName() + ": file with an empty path");
                }
                byte type = entry.getLinkFlag();
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                        || entry.isFIFO() || !(type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                                || type == TarConstants.LF_CONTIG)) {
                    throw new BundleFormatException("entry " + entry.getName()
                            + ": unsupported entry type (links, devices and fifos are not allowed in bundles)");
                }
                if (entry.getSize() > limits.maxEntryBytes()) {
                    throw new BundleFormatException("entry " + name + " is " + entry.getSize()
                            + " bytes, over the per-file limit of " + limits.maxEntryBytes());
                }
                if (files.containsKey(name)) {
                    throw new BundleFormatException("duplicate entry " + name);
                }
                files.put(name, readEntry(tar, name, limits.maxEntryBytes()));
            }
            // Drain the rest of the gzip stream so its CRC and length trailer are checked.
            byte[] skip = new byte[8192];
            while (limited.read(skip) >= 0) {
                // tar padding after the end-of-archive marker
            }
        } catch (BundleFormatException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            throw classify(e, limits);
        }
        return files;
    }

    private static BundleFormatException classify(Exception e, Limits limits) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LimitExceeded) {
                return new BundleFormatException("bundle decompresses to more than " + limits.maxUncompressedBytes()
                        + " bytes (limit exceeded; possible gzip bomb)", e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return new BundleFormatException("bundle is truncated (unexpected end of compressed data)", e);
            }
            if (t instanceof ZipException) {
                return new BundleFormatException("bundle is corrupt (gzip: " + t.getMessage() + ")", e);
            }
        }
        String msg = String.valueOf(e.getMessage());
        if (msg.toLowerCase().contains("truncated")) {
            return new BundleFormatException("bundle is truncated (" + msg + ")", e);
        }
        return new BundleFormatException("bundle is not a well-formed tar archive (" + msg + ")", e);
    }

    private static byte[] readEntry(TarArchiveInputStream tar, String name, long max)
            throws IOException, BundleFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = tar.read(buf)) >= 0) {
            total += n;
            if (total > max) {
                throw new BundleFormatException("entry " + name + " is over the per-file limit of " + max + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** {@code ./a//b/c} → {@code /a/b/c}; rejects {@code ..}, backslashes and NULs. */
    static String normalise(String raw) throws BundleFormatException {
        if (raw.indexOf('\0') >= 0 || raw.indexOf('\\') >= 0) {
            throw new BundleFormatException("entry " + raw.replace("\0", "\\0") + ": illegal character in path");
        }
        StringBuilder sb = new StringBuilder();
        for (String seg : raw.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                throw new BundleFormatException("entry " + raw + ": path traversal (\"..\") is not allowed");
            }
            sb.append('/').append(seg);
        }
        if (sb.length() == 0) {
            return "/";
        }
        return sb.toString();
    }

    /** Validates the files of a bundle and assembles it. */
    public static Bundle fromFiles(Map<String, byte[]> files) throws BundleFormatException {
        byte[] manifestBytes = files.get(BundleWriter.MANIFEST);
        if (manifestBytes == null) {
            throw new BundleFormatException("bundle has no /.manifest (files: " + files.keySet() + ")");
        }
        Manifest manifest = Manifest.parse(manifestBytes);
        if (manifest.wasm().isEmpty()) {
            throw new BundleFormatException("/.manifest declares no wasm entrypoints");
        }
        Set<String> modules = new LinkedHashSet<>();
        Set<String> entrypoints = new LinkedHashSet<>();
        for (Manifest.WasmEntry e : manifest.wasm()) {
            String module = normalise(e.module());
            if (!files.containsKey(module)) {
                throw new BundleFormatException("/.manifest: entrypoint " + e.entrypoint() + " references module "
                        + e.module() + ", which is not in the bundle");
            }
            if (!entrypoints.add(e.entrypoint())) {
                throw new BundleFormatException("/.manifest: entrypoint " + e.entrypoint() + " is listed twice");
            }
            modules.add(module);
        }
        if (modules.size() > 1) {
            throw new BundleFormatException("/.manifest references " + modules.size() + " wasm modules " + modules
                    + "; only single-module bundles are supported");
        }
        String module = modules.iterator().next();
        byte[] wasm = files.get(module);
        if (wasm.length < WASM_MAGIC.length || !Arrays.equals(wasm, 0, WASM_MAGIC.length, WASM_MAGIC, 0, WASM_MAGIC.length)) {
            throw new BundleFormatException(module + " is not a WebAssembly (version 1) module");
        }
        // Normalise the module name so that the bundle re-writes as /policy.wasm.
        List<Manifest.WasmEntry> entries = new ArrayList<>();
        for (Manifest.WasmEntry e : manifest.wasm()) {
            entries.add(new Manifest.WasmEntry(e.entrypoint(), Manifest.POLICY_MODULE));
        }
        manifest = new Manifest(manifest.revision(), manifest.roots(), entries, manifest.metadata());

        List<DataMerger.Placement> data = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            if (!(name.equals("/data.json") || name.endsWith("/data.json"))) {
                continue;
            }
            JsonNode value;
            try {
                value = CanonicalJson.parse(f.getValue());
            } catch (IOException e) {
                throw new BundleFormatException(name + " is not valid JSON: " + CanonicalJson.describe(e), e);
            }
            List<String> path = new ArrayList<>(Arrays.asList(name.substring(1).split("/")));
            path.remove(path.size() - 1);
            if (!value.isObject() && path.isEmpty()) {
                throw new BundleFormatException(name + " must contain a JSON object");
            }
            data.add(new DataMerger.Placement(path, value, name));
        }
        ObjectNode merged;
        try {
            merged = DataMerger.merge(data);
        } catch (DataConflictException e) {
            throw new BundleFormatException(e.getMessage(), e);
        }
        return new Bundle(manifest, wasm, CanonicalJson.toBytes(merged),
                Optional.ofNullable(files.get(BundleWriter.SIGNATURES)));
    }

    private static final class LimitExceeded extends IOException {
        LimitExceeded() {
            super("decompressed size limit exceeded");
        }
    }

    /** Fails (rather than truncating) once more than {@code max} bytes have been read. */
    private static final class LimitedInputStream extends FilterInputStream {
        private final long max;
        private long count;

        LimitedInputStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++count > max) {
                throw new LimitExceeded();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > max) {
                    throw new LimitExceeded();
                }
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }
    }
}
