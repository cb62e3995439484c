package dev.portcullis.rego.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleDigest;
import dev.portcullis.rego.bundle.BundleReader;
import dev.portcullis.rego.bundle.BundleWriter;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.bundle.Manifest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process with captured stdout/stderr. */
class MainTest {

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @TempDir
    Path dir;

    static final String POLICY = """
            package authz

            default allow := false

            allow if {
                input.user == data.admins[_]
            }

            greeting := sprintf("hello %s", [input.user])
            """;

    private Path writePolicyTree() throws Exception {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("authz"));
        Files.writeString(src.resolve("authz/authz.rego"), POLICY);
        Files.writeString(src.resolve("authz/authz_test.rego"), "package authz\n\nthis is not even rego\n");
        Files.writeString(src.resolve("data.json"), "{\"admins\": [\"alice\"]}");
        Files.createDirectories(src.resolve("config/limits"));
        Files.writeString(src.resolve("config/limits/data.json"), "{\"max\": 3}");
        return src;
    }

    // ---- usage errors (no compiler needed) ----

    @Test
    void usageErrorsExit2() {
        Run none = run();
        assertEquals(2, none.code(), none::toString);
        assertTrue(none.err().contains("missing command"), none::toString);

        Run unknown = run("frobnicate");
        assertEquals(2, unknown.code(), unknown::toString);

        Run noEntrypoint = run("build", "-t", "wasm", dir.toString());
        assertEquals(2, noEntrypoint.code(), noEntrypoint::toString);
        assertTrue(noEntrypoint.err().contains("--entrypoint"), noEntrypoint::toString);

        Run badTarget = run("build", "-t", "rego", "-e", "a/b", "-o", dir.resolve("x.tar.gz").toString(), dir.toString());
        assertEquals(2, badTarget.code(), badTarget::toString);
        assertTrue(badTarget.err().contains("unsupported target"), badTarget::toString);

        Run noPath = run("build", "-e", "a/b", "-o", dir.resolve("x.tar.gz").toString());
        assertEquals(2, noPath.code(), noPath::toString);

        Run missingPath = run("build", "-e", "a/b", "-o", dir.resolve("x.tar.gz").toString(), dir.resolve("nope").toString());
        assertEquals(2, missingPath.code(), missingPath::toString);
        assertTrue(missingPath.err().contains("no such file"), missingPath::toString);

        Run noRego = run("build", "-e", "a/b", "-o", dir.resolve("x.tar.gz").toString(), dir.toString());
        assertEquals(2, noRego.code(), noRego::toString);
        assertTrue(noRego.err().contains("no .rego files"), noRego::toString);

        Run evalNoBundle = run("eval", "-e", "a/b");
        assertEquals(2, evalNoBundle.code(), evalNoBundle::toString);

        Run unknownOption = run("inspect", "--bogus", "x");
        assertEquals(2, unknownOption.code(), unknownOption::toString);

        Run badFormat = run("inspect", "--format", "xml", "x");
        assertEquals(2, badFormat.code(), badFormat::toString);

        assertFalse(Files.exists(dir.resolve("x.tar.gz")));
    }

    @Test
    void helpAndVersionExit0() {
        Run help = run("--help");
        assertEquals(0, help.code(), help::toString);
        assertTrue(help.out().contains("build") && help.out().contains("eval") && help.out().contains("inspect"));
        assertEquals(0, run("build", "--help").code());
        assertEquals(0, run("--version").code());
    }

    @Test
    void malformedDataJsonInTreeExit2() throws Exception {
        Path src = dir.resolve("bad");
        Files.createDirectories(src);
        Files.writeString(src.resolve("p.rego"), "package p\nx := 1\n");
        Files.writeString(src.resolve("data.json"), "{\"a\": ");
        Path out = dir.resolve("b.tar.gz");
        Run r = run("build", "-t", "wasm", "-e", "p/x", "-o", out.toString(), src.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("data.json is not valid JSON"), r::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void conflictingDataExit2() throws Exception {
        Path src = dir.resolve("conflict");
        Files.createDirectories(src.resolve("a"));
        Files.writeString(src.resolve("p.rego"), "package p\nx := 1\n");
        Files.writeString(src.resolve("data.json"), "{\"a\": {\"b\": 1}}");
        Files.writeString(src.resolve("a/data.json"), "{\"b\": 2}");
        Run r = run("build", "-e", "p/x", "-o", dir.resolve("c.tar.gz").toString(), src.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("data.a.b"), r::toString);
    }

    // ---- bundle handling without the compiler (hand-made bundles) ----

    private Path fakeBundle() throws Exception {
        Bundle b = Bundle.of(new Manifest("rev-7", null, List.of(new Manifest.WasmEntry("authz/allow", "/policy.wasm")), null),
                new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, CanonicalJson.parse("{\"admins\": [\"alice\"]}"));
        Path p = dir.resolve("fake.tar.gz");
        Files.write(p, BundleWriter.write(b));
        return p;
    }

    @Test
    void inspectText() throws Exception {
        Path b = fakeBundle();
        Run r = run("inspect", b.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("rev-7"), r::toString);
        assertTrue(r.out().contains("authz/allow"), r::toString);
        assertTrue(r.out().contains(BundleDigest.sha256Hex(Files.readAllBytes(b))), r::toString);
        assertTrue(r.out().contains("/policy.wasm") && r.out().contains("/.manifest") && r.out().contains("/data.json"), r::toString);
        assertTrue(r.out().contains("8 B"), r::toString);
    }

    @Test
    void inspectJson() throws Exception {
        Path b = fakeBundle();
        Run r = run("inspect", "--format", "json", b.toString());
        assertEquals(0, r.code(), r::toString);
        JsonNode j = CanonicalJson.parse(r.out());
        assertEquals("rev-7", j.get("revision").asText());
        assertEquals(BundleDigest.sha256Hex(Files.readAllBytes(b)), j.get("sha256").asText());
        assertEquals("authz/allow", j.get("entrypoints").get(0).get("entrypoint").asText());
        assertEquals(3, j.get("files").size());
        assertEquals(8, j.get("files").get(2).get("size").asInt());
    }

    @Test
    void corruptAndTruncatedBundlesExit2() throws Exception {
        Path good = fakeBundle();
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.tar.gz");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = dir.resolve("garbage.tar.gz");
        Files.writeString(garbage, "definitely not a bundle");
        Path missing = dir.resolve("missing.tar.gz");

        for (Path p : List.of(truncated, garbage, missing)) {
            Run i = run("inspect", p.toString());
            assertEquals(2, i.code(), i::toString);
            assertTrue(i.err().startsWith("error: "), i::toString);
            Run e = run("eval", "-b", p.toString(), "-e", "authz/allow");
            assertEquals(2, e.code(), e::toString);
            assertTrue(e.err().contains(p.toString()), e::toString);
            assertFalse(e.err().contains("Exception"), e::toString);
        }
        assertTrue(run("inspect", truncated.toString()).err().contains("truncated"));
        assertTrue(run("inspect", garbage.toString()).err().contains("not a gzip"));
        assertTrue(run("inspect", missing.toString()).err().contains("no such file"));
    }

    @Test
    void evalRejectsBadInputsBeforeEvaluating() throws Exception {
        Path b = fakeBundle();
        Path badInput = dir.resolve("input.json");
        Files.writeString(badInput, "{\"user\": ");
        Run r = run("eval", "-b", b.toString(), "-e", "authz/allow", "-i", badInput.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("input file") && r.err().contains("not valid JSON"), r::toString);

        Run unknownEp = run("eval", "-b", b.toString(), "-e", "authz/deny");
        assertEquals(2, unknownEp.code(), unknownEp::toString);
        assertTrue(unknownEp.err().contains("authz/allow"), unknownEp::toString);

        Path arrayData = dir.resolve("d.json");
        Files.writeString(arrayData, "[1]");
        Run badData = run("eval", "-b", b.toString(), "-d", arrayData.toString());
        assertEquals(2, badData.code(), badData::toString);

        Path conflicting = dir.resolve("d2.json");
        Files.writeString(conflicting, "{\"admins\": []}");
        Run conflict = run("eval", "-b", b.toString(), "-d", conflicting.toString());
        assertEquals(2, conflict.code(), conflict::toString);
        assertTrue(conflict.err().contains("data.admins"), conflict::toString);

        // A module with no exports cannot be loaded as a policy: a bad bundle, exit 2.
        Run unloadable = run("eval", "-b", b.toString());
        assertEquals(2, unloadable.code(), unloadable::toString);
        assertTrue(unloadable.err().contains("cannot load policy.wasm"), unloadable::toString);
    }

    // ---- with the compiler ----

    @Test
    void buildInspectEvalEndToEnd() throws Exception {
        Path src = writePolicyTree();
        Path out = dir.resolve("out/bundle.tar.gz");
        Run build = run("build", "-t", "wasm", "-e", "authz/allow", "-e", "authz/greeting", "--revision", "v1",
                "-o", out.toString(), src.toString());
        assertEquals(0, build.code(), build::toString);
        assertTrue(Files.exists(out));

        Bundle bundle = BundleReader.read(Files.readAllBytes(out));
        assertEquals("v1", bundle.manifest().revision());
        assertEquals(List.of("authz/allow", "authz/greeting"), bundle.manifest().entrypoints());
        assertEquals("{\"admins\":[\"alice\"],\"config\":{\"limits\":{\"max\":3}}}",
                new String(bundle.dataJson(), StandardCharsets.UTF_8));

        Run inspect = run("inspect", out.toString());
        assertEquals(0, inspect.code(), inspect::toString);
        assertTrue(inspect.out().contains("authz/greeting"), inspect::toString);

        Path alice = dir.resolve("alice.json");
        Files.writeString(alice, "{\"user\": \"alice\"}");
        Path bob = dir.resolve("bob.json");
        Files.writeString(bob, "{\"user\": \"bob\"}");
        Run allowed = run("eval", "-b", out.toString(), "-e", "authz/allow", "-i", alice.toString());
        assertEquals(0, allowed.code(), allowed::toString);
        assertEquals(CanonicalJson.parse("[{\"result\": true}]"), CanonicalJson.parse(allowed.out()));
        Run denied = run("eval", "-b", out.toString(), "-e", "authz/allow", "-i", bob.toString());
        assertEquals(CanonicalJson.parse("[{\"result\": false}]"), CanonicalJson.parse(denied.out()), denied::toString);

        Path extra = dir.resolve("extra.json");
        Files.writeString(extra, "{\"other\": 1}");
        Run withData = run("eval", "-b", out.toString(), "-e", "authz/greeting", "-i", bob.toString(), "-d", extra.toString());
        assertEquals(0, withData.code(), withData::toString);
        assertEquals(CanonicalJson.parse("[{\"result\": \"hello bob\"}]"), CanonicalJson.parse(withData.out()));

        // Undefined input: greeting is undefined → empty result set.
        Run noInput = run("eval", "-b", out.toString(), "-e", "authz/greeting");
        assertEquals(0, noInput.code(), noInput::toString);
        assertEquals(CanonicalJson.parse("[]"), CanonicalJson.parse(noInput.out()));
    }

    @Test
    void buildIsReproducible() throws Exception {
        Path src = writePolicyTree();
        Path a = dir.resolve("a.tar.gz");
        Path b = dir.resolve("b.tar.gz");
        assertEquals(0, run("build", "-e", "authz/allow", "-o", a.toString(), src.toString()).code());
        Thread.sleep(1100); // a different wall-clock second must not matter
        assertEquals(0, run("build", "-e", "authz/allow", "-o", b.toString(), src.toString()).code());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void compileErrorsArePrintedAndNothingIsWritten() throws Exception {
        Path src = dir.resolve("broken");
        Files.createDirectories(src);
        Path file = src.resolve("bad.rego");
        Files.writeString(file, "package broken\n\nallow if {\n    x := input.y\n    z == 1\n}\n");
        Path out = dir.resolve("never.tar.gz");
        Files.writeString(out.resolveSibling("keep.txt"), "untouched");
        Run r = run("build", "-t", "wasm", "-e", "broken/allow", "-o", out.toString(), src.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":5:"), r::toString);
        assertTrue(r.err().lines().anyMatch(l -> l.matches(".*bad\\.rego:\\d+:\\d+: [a-z_]+: .*")), r::toString);
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void evaluationAbortExits1() throws Exception {
        Path src = dir.resolve("conflict-policy");
        Files.createDirectories(src);
        Files.writeString(src.resolve("c.rego"), "package c\n\nx := 1 if input.a\nx := 2 if input.b\n");
        Path out = dir.resolve("c.tar.gz");
        Run build = run("build", "-e", "c/x", "-o", out.toString(), src.toString());
        assertEquals(0, build.code(), build::toString);
        Path input = dir.resolve("in.json");
        Files.writeString(input, "{\"a\": true, \"b\": true}");
        Run r = run("eval", "-b", out.toString(), "-e", "c/x", "-i", input.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.err().contains("conflict"), r::toString);
    }

    @Test
    void buildSignsWithAPemKeyAndTheSignatureVerifies() throws Exception {
        java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pem = dir.resolve("release.pem");
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path out = dir.resolve("signed.tar.gz");
        Run build = run("build", "-e", "authz/allow", "-o", out.toString(), "--revision", "s1",
                "--signing-key", pem.toString(), writePolicyTree().toString());
        assertEquals(0, build.code(), build::toString);
        byte[] bytes = Files.readAllBytes(out);
        // verifies with the matching public key, fails with another
        dev.portcullis.rego.bundle.BundleSigner.readVerified(bytes, kp.getPublic());
        java.security.PublicKey other = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> dev.portcullis.rego.bundle.BundleSigner.readVerified(bytes, other));

        Files.writeString(dir.resolve("bad.pem"), "not a key");
        Run bad = run("build", "-e", "authz/allow", "-o", dir.resolve("x.tar.gz").toString(),
                "--signing-key", dir.resolve("bad.pem").toString(), writePolicyTree().toString());
        assertEquals(2, bad.code(), bad::toString);
        assertTrue(bad.err().contains("PKCS#8"), bad::toString);
        assertFalse(Files.exists(dir.resolve("x.tar.gz")));
    }

    @Test
    void signSignsABuiltBundleAndOnlyAddsTheSignature() throws Exception {
        java.security.KeyPair oldKey = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.security.KeyPair newKey = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path oldPem = writePrivateKey("release-old.pem", oldKey);
        Path newPem = writePrivateKey("release-new.pem", newKey);
        Path unsigned = dir.resolve("unsigned.tar.gz");
        Run build = run("build", "-e", "authz/allow", "-o", unsigned.toString(), "--revision", "r9",
                writePolicyTree().toString());
        assertEquals(0, build.code(), build::toString);

        Path signed = dir.resolve("signed.tar.gz");
        Run sign = run("sign", "--signing-key", oldPem.toString(), "-o", signed.toString(), unsigned.toString());
        assertEquals(0, sign.code(), sign::toString);
        byte[] bytes = Files.readAllBytes(signed);
        assertTrue(sign.out().startsWith(BundleDigest.sha256Hex(bytes) + "  "), sign::toString);
        dev.portcullis.rego.bundle.BundleSigner.readVerified(bytes, oldKey.getPublic());
        // the kid defaults to the key file name
        String sigs = new String(BundleReader.readFiles(bytes).get("/.signatures.json"), StandardCharsets.UTF_8);
        String header = new String(java.util.Base64.getUrlDecoder().decode(
                CanonicalJson.parse(sigs.getBytes(StandardCharsets.UTF_8)).path("signatures").path(0).asText().split("\\.")[0]),
                StandardCharsets.UTF_8);
        assertTrue(header.contains("\"kid\":\"release-old\""), header);
        // nothing but the signature was added: without it, the signed bundle is the built one byte for byte
        Bundle stripped = BundleReader.read(bytes).withoutSignatures();
        assertArrayEquals(Files.readAllBytes(unsigned), BundleWriter.write(stripped));

        // re-signing (key rotation) replaces the old signature
        Path resigned = dir.resolve("resigned.tar.gz");
        Run again = run("sign", "--signing-key", newPem.toString(), "--signing-key-id", "2027a", "-o",
                resigned.toString(), signed.toString());
        assertEquals(0, again.code(), again::toString);
        byte[] r = Files.readAllBytes(resigned);
        dev.portcullis.rego.bundle.BundleSigner.readVerified(r, newKey.getPublic());
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> dev.portcullis.rego.bundle.BundleSigner.readVerified(r, oldKey.getPublic()));

        Run missing = run("sign", "--signing-key", dir.resolve("nope.pem").toString(), "-o",
                dir.resolve("y.tar.gz").toString(), unsigned.toString());
        assertEquals(2, missing.code(), missing::toString);
        assertFalse(Files.exists(dir.resolve("y.tar.gz")));
    }

    private Path writePrivateKey(String name, java.security.KeyPair kp) throws Exception {
        Path pem = dir.resolve(name);
        Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return pem;
    }
}
