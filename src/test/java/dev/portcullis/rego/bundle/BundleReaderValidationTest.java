package dev.portcullis.rego.bundle;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BundleReaderValidationTest {

    private static void rejects(byte[] bytes, String... fragments) {
        rejects(() -> BundleReader.read(bytes), fragments);
    }

    private static void rejects(Executable ex, String... fragments) {
        BundleFormatException e = assertThrows(BundleFormatException.class, ex);
        for (String f : fragments) {
            assertTrue(e.getMessage().toLowerCase().contains(f.toLowerCase()),
                    () -> "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }

    @Test
    void validBaselineReads() throws Exception {
        BundleReader.read(TestTars.valid().gz());
    }

    @Test
    void rejectsNonGzip() {
        rejects(new byte[0], "not a gzip");
        rejects("hello, this is not a bundle".getBytes(StandardCharsets.UTF_8), "not a gzip");
        rejects(new byte[] {0x1f}, "not a gzip");
    }

    @Test
    void rejectsEveryTruncation() throws Exception {
        byte[] good = BundleWriter.write(BundleRoundTripTest.sample());
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            BundleFormatException e = assertThrows(BundleFormatException.class, () -> BundleReader.read(cut),
                    "truncated to " + len);
            String m = e.getMessage();
            assertTrue(m.contains("truncated") || m.contains("not a gzip"), m);
        }
    }

    @Test
    void rejectsCorruptBytes() throws Exception {
        byte[] good = BundleWriter.write(BundleRoundTripTest.sample());
        for (int i = 10; i < good.length; i += 7) {
            byte[] bad = good.clone();
            bad[i] ^= 0x5a;
            // Any corruption must be detected (deflate structure or CRC/length trailer).
            assertThrows(BundleFormatException.class, () -> BundleReader.read(bad), "flipped byte " + i);
        }
    }

    @Test
    void rejectsGzipOfGarbage() {
        rejects(TestTars.gzip("not a tar archive at all, just some text that is long enough".repeat(20)
                .getBytes(StandardCharsets.UTF_8)), "tar");
    }

    @Test
    void rejectsTruncatedTarInsideValidGzip() {
        byte[] tar = TestTars.valid().tarBytes();
        rejects(TestTars.gzip(Arrays.copyOf(tar, 700)), "truncated");
    }

    @Test
    void rejectsPathTraversal() {
        rejects(TestTars.valid().file("../evil.rego", "x").gz(), "path traversal");
        rejects(TestTars.valid().file("/a/../../etc/passwd", "x").gz(), "path traversal");
        rejects(TestTars.valid().file("a\\..\\b", "x").gz(), "illegal character");
    }

    @Test
    void rejectsLinksAndDuplicates() {
        rejects(TestTars.valid().symlink("/link", "/etc/passwd").gz(), "unsupported entry type");
        rejects(TestTars.valid().file("./data.json", "{}").gz(), "duplicate entry /data.json");
    }

    @Test
    void requiresManifestAndModules() {
        rejects(new TestTars().file("/policy.wasm", TestTars.WASM).gz(), "no /.manifest");
        rejects(new TestTars().file("/.manifest", "{\"revision\": ").file("/policy.wasm", TestTars.WASM).gz(),
                "/.manifest is not valid JSON");
        rejects(new TestTars().file("/.manifest", "[]").gz(), "must be a JSON object");
        rejects(new TestTars().file("/.manifest", "{\"revision\": \"r\"}").file("/policy.wasm", TestTars.WASM).gz(),
                "no wasm entrypoints");
        rejects(new TestTars().file("/.manifest", TestTars.MANIFEST).gz(), "references module /policy.wasm",
                "not in the bundle");
        rejects(new TestTars().file("/.manifest", TestTars.MANIFEST).file("/policy.wasm", "not wasm").gz(),
                "not a WebAssembly");
        rejects(new TestTars().file("/.manifest", "{\"wasm\": [{\"entrypoint\": 1}]}").gz(), "wasm[0]");
        rejects(new TestTars().file("/.manifest", "{\"revision\": 5, \"wasm\": []}").gz(), "revision");
    }

    @Test
    void rejectsBadData() {
        rejects(new TestTars().file("/.manifest", TestTars.MANIFEST).file("/policy.wasm", TestTars.WASM)
                .file("/data.json", "{\"a\": ").gz(), "/data.json is not valid JSON");
        rejects(new TestTars().file("/.manifest", TestTars.MANIFEST).file("/policy.wasm", TestTars.WASM)
                .file("/data.json", "[1]").gz(), "must contain a JSON object");
        rejects(new TestTars().file("/.manifest", TestTars.MANIFEST).file("/policy.wasm", TestTars.WASM)
                .file("/data.json", "{\"a\": {\"b\": 1}}").file("/a/b/data.json", "{}").gz(), "data.a.b");
    }

    @Test
    void enforcesLimits() {
        byte[] zeros = new byte[2 << 20];
        byte[] bomb = TestTars.valid().file("/big.bin", zeros).gz();
        rejects(() -> BundleReader.read(bomb, new BundleReader.Limits(64L << 20, 1 << 20, 100)), "per-file limit");
        rejects(() -> BundleReader.read(bomb, new BundleReader.Limits(1 << 20, 32L << 20, 100)), "gzip bomb");
        TestTars many = TestTars.valid();
        for (int i = 0; i < 20; i++) {
            many.file("/f" + i, "x");
        }
        byte[] manyBytes = many.gz();
        rejects(() -> BundleReader.read(manyBytes, new BundleReader.Limits(64L << 20, 32L << 20, 10)), "more than 10 entries");
    }

    @Test
    void defaultLimitStopsLargeBombEarly() {
        // ~65 MiB of zeros compresses to ~64 KiB; the default 64 MiB cap must refuse it.
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        byte[] bomb = TestTars.valid().file("/bomb.bin", new byte[65 << 20]).gz();
        assertTrue(bomb.length < 1 << 20);
        rejects(bomb, "limit");
        tar.reset();
    }

    @Test
    void normalisesNames() throws Exception {
        for (String ok : List.of("a", "/a", "./a", "a//b", "/./a/./b")) {
            assertTrue(BundleReader.normalise(ok).startsWith("/"));
        }
    }
}
