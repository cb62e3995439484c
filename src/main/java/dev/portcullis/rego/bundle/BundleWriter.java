package dev.portcullis.rego.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes bundles as reproducible {@code .tar.gz}: the same {@link Bundle} always gives the same
 * bytes. Entries are sorted by name; every entry has mtime 0, uid/gid 0, empty user and group
 * names and mode 0644; the gzip header has mtime 0, no file name, and OS byte 255 ("unknown").
 */
public final class BundleWriter {

    public static final String MANIFEST = "/.manifest";
    public static final String DATA = "/data.json";
    public static final String POLICY = Manifest.POLICY_MODULE;
    public static final String SIGNATURES = "/.signatures.json";

    private BundleWriter() {}

    /** The files a bundle consists of, by tar entry name, in the order they are written. */
    public static Map<String, byte[]> files(Bundle bundle) {
        for (Manifest.WasmEntry e : bundle.manifest().wasm()) {
            if (!POLICY.equals(e.module())) {
                throw new IllegalArgumentException("entrypoint " + e.entrypoint() + " names module " + e.module()
                        + "; bundles written here keep their policy in " + POLICY);
            }
        }
        Map<String, byte[]> files = new TreeMap<>();
        files.put(MANIFEST, bundle.manifest().toCanonicalBytes());
        files.put(DATA, bundle.dataJson());
        files.put(POLICY, bundle.policyWasm());
        bundle.signaturesJson().ifPresent(s -> files.put(SIGNATURES, s));
        return files;
    }

    public static byte[] write(Bundle bundle) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, byte[]> f : files(bundle).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey(), true);
                entry.setSize(f.getValue().length);
                entry.setMode(0100644);
                entry.setModTime(0L);
                entry.setUserId(0);
                entry.setGroupId(0);
                entry.setUserName("");
                entry.setGroupName("");
                out.putArchiveEntry(entry);
                out.write(f.getValue());
                out.closeArchiveEntry();
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gzip(tar.toByteArray());
    }

    public static void write(Bundle bundle, OutputStream out) throws IOException {
        out.write(write(bundle));
    }

    /** RFC 1952 gzip with a fixed header: no mtime, no name, XFL 2 (best compression), OS = 255. */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, (byte) 0xff});
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] buf = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(buf);
                out.write(buf, 0, n);
            }
        } finally {
            deflater.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        writeLe32(out, crc.getValue());
        writeLe32(out, data.length & 0xffffffffL);
        return out.toByteArray();
    }

    private static void writeLe32(ByteArrayOutputStream out, long v) {
        out.write((int) (v & 0xff));
        out.write((int) ((v >>> 8) & 0xff));
        out.write((int) ((v >>> 16) & 0xff));
        out.write((int) ((v >>> 24) & 0xff));
    }
}
