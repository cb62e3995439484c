package dev.portcullis.rego.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class BundleRoundTripTest {

    static Bundle sample() throws Exception {
        JsonNode data = CanonicalJson.parse("{\"z\": 1, \"a\": {\"y\": [1, 2.50, \"x\"], \"b\": null}, \"big\": 123456789012345678901234567890}");
        Manifest m = new Manifest("rev-1", List.of("a", "z"),
                List.of(new Manifest.WasmEntry("test/allow", "/policy.wasm"), new Manifest.WasmEntry("test/deny", "/policy.wasm")),
                CanonicalJson.parse("{\"owner\": \"team\", \"a\": 1}"));
        return Bundle.of(m, TestTars.WASM, data);
    }

    @Test
    void roundTripPreservesEverything() throws Exception {
        Bundle b = sample();
        Bundle back = BundleReader.read(BundleWriter.write(b));
        assertEquals(b, back);
        assertEquals(List.of("test/allow", "test/deny"), back.manifest().entrypoints());
        assertEquals(List.of("a", "z"), back.manifest().roots());
        assertEquals("team", back.manifest().metadata().get("owner").asText());
        assertEquals("{\"a\":{\"b\":null,\"y\":[1,2.50,\"x\"]},\"big\":123456789012345678901234567890,\"z\":1}",
                new String(back.dataJson(), StandardCharsets.UTF_8));
        assertTrue(back.signaturesJson().isEmpty());
    }

    @Test
    void readsFromStream() throws Exception {
        Bundle b = sample();
        assertEquals(b, BundleReader.read(new ByteArrayInputStream(BundleWriter.write(b))));
    }

    @Test
    void writingIsReproducible() throws Exception {
        byte[] one = BundleWriter.write(sample());
        byte[] two = BundleWriter.write(sample());
        assertArrayEquals(one, two);
        // Independently-constructed equal content (different key order) gives the same bytes.
        Bundle reordered = Bundle.of(sample().manifest(), TestTars.WASM,
                CanonicalJson.parse("{\"big\": 123456789012345678901234567890, \"a\": {\"b\": null, \"y\": [1, 2.50, \"x\"]}, \"z\": 1}"));
        assertArrayEquals(one, BundleWriter.write(reordered));
        assertEquals(BundleDigest.sha256Hex(one), BundleDigest.sha256Hex(two));
        assertEquals(64, BundleDigest.sha256Hex(one).length());
    }

    @Test
    void gzipHeaderAndTarEntriesAreNormalised() throws Exception {
        byte[] bytes = BundleWriter.write(sample());
        assertEquals(0x1f, bytes[0] & 0xff);
        assertEquals(0x8b, bytes[1] & 0xff);
        assertEquals(8, bytes[2]);
        assertEquals(0, bytes[3], "no FNAME/FEXTRA/FCOMMENT flags");
        for (int i = 4; i < 8; i++) {
            assertEquals(0, bytes[i], "gzip mtime must be 0");
        }
        assertEquals(0xff, bytes[9] & 0xff, "gzip OS byte fixed to 255");

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                names.add(e.getName());
                assertEquals(0, e.getModTime().getTime(), e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals("", e.getGroupName());
                assertEquals(0644, e.getMode() & 07777);
                assertTrue(e.isFile());
            }
        }
        assertEquals(List.of("/.manifest", "/data.json", "/policy.wasm"), names);
    }

    @Test
    void manifestIsCanonical() throws Exception {
        byte[] m = BundleReader.readFiles(BundleWriter.write(sample())).get("/.manifest");
        assertEquals("{\"metadata\":{\"a\":1,\"owner\":\"team\"},\"revision\":\"rev-1\",\"roots\":[\"a\",\"z\"],"
                + "\"wasm\":[{\"entrypoint\":\"test/allow\",\"module\":\"/policy.wasm\"},"
                + "{\"entrypoint\":\"test/deny\",\"module\":\"/policy.wasm\"}]}", new String(m, StandardCharsets.UTF_8));
    }

    @Test
    void canonicalJsonSortsByCodePoint() throws Exception {
        // U+1F600 (surrogate pair in UTF-16) sorts after U+FF5E in UTF-8 byte order.
        String json = "{\"\uD83D\uDE00\":1,\"\uFF5E\":2,\"B\":3,\"a\":4}";
        assertEquals("{\"B\":3,\"a\":4,\"\uFF5E\":2,\"\uD83D\uDE00\":1}", CanonicalJson.toString(CanonicalJson.parse(json)));
    }

    @Test
    void acceptsForeignLayoutAndNestedData() throws Exception {
        byte[] gz = new TestTars()
                .file("./.manifest", "{\"revision\": \"x\", \"wasm\": [{\"entrypoint\": \"a/b\", \"module\": \"policy.wasm\"}], \"rego_version\": 1}")
                .file("policy.wasm", TestTars.WASM)
                .file("data.json", "{\"top\": true}")
                .file("users/alice/data.json", "{\"role\": \"admin\"}")
                .file("users/data.json", "{\"bob\": {\"role\": \"dev\"}}")
                .file("src/policy.rego", "package a\nb := 1\n")
                .gz();
        Bundle b = BundleReader.read(gz);
        assertEquals("{\"top\":true,\"users\":{\"alice\":{\"role\":\"admin\"},\"bob\":{\"role\":\"dev\"}}}",
                new String(b.dataJson(), StandardCharsets.UTF_8));
        assertEquals("/policy.wasm", b.manifest().wasm().get(0).module());
        assertEquals(6, BundleReader.list(gz).size());
    }
}
