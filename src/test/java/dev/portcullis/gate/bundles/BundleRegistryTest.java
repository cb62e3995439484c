package dev.portcullis.gate.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gate.engine.Evaluation;
import dev.portcullis.gate.engine.PolicyEngine;
import dev.portcullis.rego.bundle.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRegistryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @TempDir
    Path keys;

    private DataSource db;
    private TestBundles.Config config;
    private final List<PolicyEngine> engines = new ArrayList<>();
    private final List<BundleRegistry> registries = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db = TestBundles.database();
        config = new TestBundles.Config(dir);
    }

    @AfterEach
    void tearDown() {
        registries.forEach(BundleRegistry::close);
        engines.forEach(PolicyEngine::close);
    }

    private BundleRegistry registry() {
        PolicyEngine engine = TestBundles.engine(2, Duration.ofSeconds(5));
        engines.add(engine);
        BundleRegistry r = new BundleRegistry(config, engine, db);
        registries.add(r);
        r.start();
        return r;
    }

    private PolicyEngine engineOf(BundleRegistry r) {
        return engines.get(registries.indexOf(r));
    }

    private String revOf(BundleRegistry r, String name) {
        BundleVersion v = r.active(name).orElseThrow();
        Evaluation e = engineOf(r).evaluate(v, "p/rev", "{}");
        assertTrue(e.ok(), e::toString);
        return e.value().asText();
    }

    @Test
    void loadsEveryRevisionAndActivatesTheHighestByNaturalOrder() {
        for (String rev : List.of("2", "10", "9")) {
            TestBundles.write(dir, "app", rev, TestBundles.bytes(TestBundles.simple(rev)));
        }
        TestBundles.write(dir, "other", "v1", TestBundles.bytes(TestBundles.simple("v1")));
        BundleRegistry r = registry();
        assertEquals(List.of("2", "9", "10"), r.versions("app").stream().map(BundleVersion::revision).toList());
        assertEquals(4, r.versions().size());
        assertEquals(java.util.Set.of("app", "other"), r.names());
        assertEquals("10", r.active("app").orElseThrow().revision());
        assertEquals("10", revOf(r, "app"));
        assertEquals("default:highest", r.state("app").orElseThrow().activatedBy());
        BundleVersion v = r.version("app", "9").orElseThrow();
        assertEquals(dir.resolve("app").resolve("9.tar.gz").toAbsolutePath().toString(), v.source());
        assertEquals(TestBundles.SIMPLE_EPS, v.entrypoints());
        assertFalse(v.signed());
        assertNull(v.signer());
        assertEquals(TestBundles.sha(TestBundles.bytes(TestBundles.simple("9"))), v.sha256());
        assertTrue(r.rejections().isEmpty(), r.rejections()::toString);
        // activeFor: both bundles serve p/rev; the lowest name wins
        assertEquals("app", r.activeFor("p/rev").orElseThrow().name());
        assertTrue(r.activeFor("nope/nope").isEmpty());
    }

    @Test
    void configuredActiveRevisionWinsWhenNothingIsRecorded() {
        for (String rev : List.of("1", "2")) {
            TestBundles.write(dir, "app", rev, TestBundles.bytes(TestBundles.simple(rev)));
        }
        config.active.put("app", "1");
        BundleRegistry r = registry();
        assertEquals("1", r.active("app").orElseThrow().revision());
        assertEquals("config", r.state("app").orElseThrow().activatedBy());
    }

    @Test
    void activationAndRollbackArePersistedAcrossRestarts() throws Exception {
        for (String rev : List.of("1", "2", "3")) {
            TestBundles.write(dir, "app", rev, TestBundles.bytes(TestBundles.simple(rev)));
        }
        BundleRegistry r1 = registry();
        assertEquals("3", r1.active("app").orElseThrow().revision());
        assertTrue(r1.previous("app").isEmpty());
        assertThrows(BundleRejectedException.class, () -> r1.rollback("app", "alice"));

        r1.activate("app", "1", "alice");
        assertEquals("1", revOf(r1, "app"));
        assertEquals("3", r1.previous("app").orElseThrow().revision());
        r1.activate("app", "2", "bob");
        assertEquals("2", revOf(r1, "app"));

        // restart: a new registry and engine against the same directory and database
        config.active.put("app", "3"); // a recorded choice beats the configured default
        BundleRegistry r2 = registry();
        assertEquals("2", r2.active("app").orElseThrow().revision());
        assertEquals("1", r2.previous("app").orElseThrow().revision());
        assertEquals("bob", r2.state("app").orElseThrow().activatedBy());

        BundleVersion back = r2.rollback("app", "carol");
        assertEquals("1", back.revision());
        assertEquals("1", revOf(r2, "app"));
        assertEquals("2", r2.previous("app").orElseThrow().revision(), "rollback toggles");

        try (Connection c = db.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT revision, previous_revision, activated_by, activated_at "
                        + "FROM bundle_activation WHERE bundle_name = 'app'")) {
            assertTrue(rs.next());
            assertEquals("1", rs.getString(1));
            assertEquals("2", rs.getString(2));
            assertEquals("carol", rs.getString(3));
            assertTrue(rs.getObject(4) != null);
        }
        BundleRegistry r3 = registry();
        assertEquals("1", r3.active("app").orElseThrow().revision());

        assertThrows(UnknownBundleException.class, () -> r3.activate("app", "99", "x"));
        assertThrows(UnknownBundleException.class, () -> r3.activate("nope", "1", "x"));
        assertThrows(UnknownBundleException.class, () -> r3.rollback("nope", "x"));
    }

    @Test
    void badBundlesAreRejectedAndNeverReplaceTheActiveOne() throws Exception {
        KeyPair signer = TestBundles.ed25519();
        KeyPair stranger = TestBundles.ed25519();
        Path pem = Files.writeString(keys.resolve("release-2025.pub.pem"), PublicKeys.toPem(signer.getPublic()));
        config.publicKeys.add(pem.toString());
        config.requireSignature = true;

        Bundle good = TestBundles.sign(TestBundles.simple("1"), signer.getPrivate(), "release-2025");
        TestBundles.write(dir, "app", "1", TestBundles.bytes(good));
        BundleRegistry r = registry();
        BundleVersion active = r.active("app").orElseThrow();
        assertTrue(active.signed());
        assertEquals("release-2025", active.signer());

        byte[] good2 = TestBundles.bytes(TestBundles.sign(TestBundles.simple("2"), signer.getPrivate(), null));
        // corrupt: garbage, truncated
        TestBundles.write(dir, "app", "10", "not a bundle at all".getBytes());
        TestBundles.write(dir, "app", "11", Arrays.copyOf(good2, good2.length / 2));
        // unsigned while signatures are required
        TestBundles.write(dir, "app", "12", TestBundles.bytes(TestBundles.simple("12")));
        // signed by an unknown key
        TestBundles.write(dir, "app", "13",
                TestBundles.bytes(TestBundles.sign(TestBundles.simple("13"), stranger.getPrivate(), "x")));
        // sidecar digest mismatch
        byte[] b14 = TestBundles.bytes(TestBundles.sign(TestBundles.simple("14"), signer.getPrivate(), null));
        Path f14 = TestBundles.write(dir, "app", "14", b14);
        TestBundles.writeSidecar(f14, "0".repeat(64));
        // ABI incompatible: a valid wasm module without the OPA exports
        TestBundles.write(dir, "app", "15", TestBundles.bytes(TestBundles.sign(TestBundles.bundle("15",
                TestBundles.nonOpaWasm(), List.of("p/allow"), null, null), signer.getPrivate(), null)));
        // revision does not match the file name
        TestBundles.write(dir, "app", "16", TestBundles.bytes(TestBundles.sign(TestBundles.simple("99"),
                signer.getPrivate(), null)));
        // same revision as the loaded one, different bytes
        TestBundles.write(dir, "app", "1", good2);
        // a good one with a matching sidecar
        Path f2 = TestBundles.write(dir, "app", "2", good2);
        TestBundles.writeSidecar(f2, TestBundles.sha(good2));

        List<BundleVersion> added = r.scan();
        assertEquals(List.of("2"), added.stream().map(BundleVersion::revision).toList());
        assertEquals(List.of("1", "2"), r.versions("app").stream().map(BundleVersion::revision).toList());
        assertSame(active, r.active("app").orElseThrow(), "the active version is unchanged");
        assertEquals("1", revOf(r, "app"));

        java.util.Map<String, String> reasons = new java.util.TreeMap<>();
        for (Rejection rej : r.rejections()) {
            reasons.put(Path.of(rej.source()).getFileName().toString(), rej.reason());
        }
        assertEquals("corrupt", reasons.get("10.tar.gz"));
        assertEquals("corrupt", reasons.get("11.tar.gz"));
        assertEquals("unsigned", reasons.get("12.tar.gz"));
        assertEquals("bad_signature", reasons.get("13.tar.gz"));
        assertEquals("digest_mismatch", reasons.get("14.tar.gz"));
        assertEquals("abi_incompatible", reasons.get("15.tar.gz"));
        assertEquals("name_mismatch", reasons.get("16.tar.gz"));
        assertEquals("revision_conflict", reasons.get("1.tar.gz"));
        assertEquals(8, r.rejections().size(), r.rejections()::toString);

        // a rescan does not re-reject unchanged files; fixing a file clears its rejection
        r.scan();
        assertEquals(8, r.rejections().size());
        TestBundles.writeSidecar(f14, TestBundles.sha(b14));
        assertEquals(List.of("14"), r.scan().stream().map(BundleVersion::revision).toList());
        assertEquals(7, r.rejections().size());
        assertEquals("1", r.active("app").orElseThrow().revision(), "new revisions are not auto-activated");
    }

    @Test
    void rsaSignedBundlesVerifyAndInlinePemKeysWork() {
        KeyPair rsa = TestBundles.rsa();
        config.publicKeyPem.put("rsa-key", PublicKeys.toPem(rsa.getPublic()));
        TestBundles.write(dir, "app", "1",
                TestBundles.bytes(TestBundles.sign(TestBundles.simple("1"), rsa.getPrivate(), "rsa-key")));
        BundleRegistry r = registry();
        assertEquals("rsa-key", r.active("app").orElseThrow().signer());
    }

    @Test
    void signedBundleWithoutConfiguredKeysIsRejected() {
        KeyPair k = TestBundles.ed25519();
        TestBundles.write(dir, "app", "1", TestBundles.bytes(TestBundles.sign(TestBundles.simple("1"), k.getPrivate(), null)));
        BundleRegistry r = registry();
        assertTrue(r.active("app").isEmpty());
        assertEquals("bad_signature", r.rejections().get(0).reason());
    }

    @Test
    void uploadStoresVerifiesAndDoesNotActivate() throws Exception {
        TestBundles.write(dir, "portcullis", "1", TestBundles.bytes(TestBundles.simple("1")));
        BundleRegistry r = registry();

        byte[] up = TestBundles.bytes(TestBundles.simple("2"));
        BundleVersion v = r.upload(up, "alice");
        assertEquals("portcullis", v.name(), "no metadata.name: the default name");
        assertEquals("upload", v.source());
        assertTrue(Files.exists(dir.resolve("portcullis").resolve("2.tar.gz")));
        assertEquals("1", r.active("portcullis").orElseThrow().revision());
        assertSame(v, r.upload(up, "alice"), "same bytes again: idempotent");
        assertTrue(r.scan().isEmpty(), "the poller does not load the stored upload twice");

        BundleRejectedException conflict = assertThrows(BundleRejectedException.class,
                () -> r.upload(TestBundles.bytes(TestBundles.sign(TestBundles.simple("2"),
                        TestBundles.ed25519().getPrivate(), null)), "mallory"));
        assertEquals("bad_signature", conflict.reason());
        Bundle other = TestBundles.bundle("2", TestBundles.compile(TestBundles.SIMPLE, TestBundles.SIMPLE_EPS),
                TestBundles.SIMPLE_EPS, JSON.createObjectNode().put("rev", "other"), null);
        BundleRejectedException rc = assertThrows(BundleRejectedException.class,
                () -> r.upload(TestBundles.bytes(other), "mallory"));
        assertEquals("revision_conflict", rc.reason());
        assertTrue(rc.isConflict());

        BundleVersion named = r.upload(TestBundles.bytes(TestBundles.simple("7", "billing")), "alice");
        assertEquals("billing", named.name());
        assertTrue(Files.exists(dir.resolve("billing").resolve("7.tar.gz")));
        assertTrue(r.active("billing").isEmpty(), "uploads are not activated");
        r.activate("billing", "7", "alice");
        assertEquals("7", r.active("billing").orElseThrow().revision());

        BundleRejectedException corrupt = assertThrows(BundleRejectedException.class,
                () -> r.upload(new byte[] {1, 2, 3}, "x"));
        assertEquals("corrupt", corrupt.reason());
        BundleRejectedException abi = assertThrows(BundleRejectedException.class, () -> r.upload(TestBundles.bytes(
                TestBundles.bundle("9", TestBundles.nonOpaWasm(), List.of("p/allow"), null, null)), "x"));
        assertEquals("abi_incompatible", abi.reason());
        BundleRejectedException norev = assertThrows(BundleRejectedException.class, () -> r.upload(
                TestBundles.bytes(TestBundles.simple("")), "x"));
        assertEquals("name_mismatch", norev.reason());
        assertEquals(5, r.rejections().stream().filter(x -> x.source().equals("upload")).count());
    }

    @Test
    void atomicSwapUnderConcurrentEvaluations() throws Exception {
        for (String rev : List.of("1", "2")) {
            TestBundles.write(dir, "app", rev, TestBundles.bytes(TestBundles.simple(rev)));
        }
        BundleRegistry r = registry();
        PolicyEngine engine = engineOf(r);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger evaluations = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    BundleVersion v = r.activeFor("p/rev").orElseThrow();
                    Evaluation e = engine.evaluate(v, "p/rev", "{}");
                    if (!e.ok()) {
                        return "error " + e;
                    }
                    if (!v.revision().equals(e.value().asText())) {
                        return "version " + v.revision() + " answered " + e.value();
                    }
                    evaluations.incrementAndGet();
                }
                return null;
            }));
        }
        for (int i = 0; i < 40; i++) {
            r.activate("app", i % 2 == 0 ? "1" : "2", "swapper");
            Thread.sleep(5);
        }
        stop.set(true);
        for (Future<String> f : workers) {
            assertNull(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertTrue(evaluations.get() > 40, "evaluations ran during the swaps: " + evaluations.get());
        assertEquals("2", r.active("app").orElseThrow().revision());
    }

    @Test
    void shadowReportCountsDifferences() throws Exception {
        TestBundles.write(dir, "app", "1", TestBundles.bytes(TestBundles.simple("1")));
        TestBundles.write(dir, "app", "2", TestBundles.bytes(TestBundles.simple("2")));
        config.active.put("app", "1");
        BundleRegistry r = registry();
        PolicyEngine engine = engineOf(r);
        assertNull(r.shadowReport("app").shadowRevision());
        assertThrows(UnknownBundleException.class, () -> r.setShadow("app", "9"));
        r.setShadow("app", "2");
        assertEquals("2", r.shadow("app").orElseThrow().revision());

        BundleVersion active = r.active("app").orElseThrow();
        // p/allow agrees (same policy), p/rev differs (data differs)
        for (int i = 0; i < 3; i++) {
            String in = "{\"user\":\"alice\",\"i\":" + i + "}";
            r.shadowEvaluate("app", "p/allow", in, active, engine.evaluate(active, "p/allow", in)).get(30, TimeUnit.SECONDS);
        }
        r.shadowEvaluate("app", "p/rev", "{}", active, engine.evaluate(active, "p/rev", "{}")).get(30, TimeUnit.SECONDS);
        // a shadow error: record directly
        r.recordShadow("app", "p/allow", "{}", active, engine.evaluate(active, "p/allow", "{}"), r.shadow("app").get(),
                Evaluation.error(Evaluation.TIMEOUT, "slow", 1));

        ShadowReport rep = r.shadowReport("app");
        assertEquals("2", rep.shadowRevision());
        assertEquals(5, rep.evaluated());
        assertEquals(3, rep.agreed());
        assertEquals(1, rep.differed());
        assertEquals(1, rep.errors());
        assertEquals(2, rep.recentDifferences().size());
        ShadowDifference d = rep.recentDifferences().get(1);
        assertEquals("p/rev", d.entrypoint());
        assertEquals("1", d.activeRevision());
        assertEquals("2", d.shadowRevision());
        assertEquals(TestBundles.sha("{}".getBytes()), d.inputSha256());
        assertEquals(JSON.readTree("[{\"result\":\"1\"}]"), JSON.readTree(d.activeResult()));
        assertEquals(JSON.readTree("[{\"result\":\"2\"}]"), JSON.readTree(d.shadowResult()));
        assertTrue(rep.recentDifferences().get(0).shadowResult().startsWith("error:timeout"));
        assertEquals(2, new ActivationStore(db).countDifferences("app"));

        r.setShadow("app", null);
        assertTrue(r.shadow("app").isEmpty());
        assertEquals(0, r.shadowReport("app").evaluated());
        assertTrue(r.shadowEvaluate("app", "p/rev", "{}", active, engine.evaluate(active, "p/rev", "{}")).isDone());
        assertThrows(UnknownBundleException.class, () -> r.shadowReport("nope"));
    }

    @Test
    void worksWithoutADirectoryOrDatabase() {
        config.dir = dir.resolve("missing").toString();
        PolicyEngine engine = TestBundles.engine(1, Duration.ofSeconds(5));
        engines.add(engine);
        BundleRegistry r = new BundleRegistry(config, engine, null);
        registries.add(r);
        r.start();
        assertTrue(r.names().isEmpty());
        assertFalse(r.hasActive());
        TestBundles.write(Path.of(config.dir), "app", "1", TestBundles.bytes(TestBundles.simple("1")));
        assertEquals(1, r.scan().size());
        assertTrue(r.hasActive(), "a name first seen by the poller gets its default activation");
    }
}
