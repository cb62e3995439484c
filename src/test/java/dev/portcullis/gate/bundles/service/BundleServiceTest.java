package dev.portcullis.gate.bundles.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gate.bundles.BundleRegistry;
import dev.portcullis.gate.bundles.PublicKeys;
import dev.portcullis.gate.bundles.TestBundles;
import dev.portcullis.gate.engine.Evaluation;
import dev.portcullis.gate.engine.PolicyEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle service against a real HTTP bundle server started here: download, ETag/304, new
 * revisions activated, signatures verified, errors keep the active version and back off, status
 * and metrics per bundle.
 */
class BundleServiceTest {

    static final String PATH = "/bundles/app.tar.gz";

    @TempDir
    Path dir;

    private BundleServer server;
    private PolicyEngine engine;
    private BundleRegistry registry;
    private BundleService service;
    private SimpleMeterRegistry meters;
    private KeyPair key;

    record Svc(String url, Optional<String> token, Duration timeout) implements BundleServiceConfig.Service {}

    record Bnd(String service, Optional<String> resource, boolean activate, Duration minDelay, Duration maxDelay,
            Duration backoff) implements BundleServiceConfig.Bundle {}

    record Cfg(Map<String, Service> services, Map<String, Bundle> bundles, long maxDownloadBytes)
            implements BundleServiceConfig {}

    @BeforeEach
    void setUp() throws Exception {
        server = new BundleServer(PATH);
        key = TestBundles.ed25519();
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.stop();
        }
        if (registry != null) {
            registry.close();
        }
        if (engine != null) {
            engine.close();
        }
        server.close();
    }

    private void startService(Duration backoff, Duration maxDelay) {
        TestBundles.Config bc = new TestBundles.Config(dir);
        bc.requireSignature = true;
        bc.publicKeyPem.put("release", PublicKeys.toPem(key.getPublic()));
        DataSource db = TestBundles.database();
        engine = TestBundles.engine(2, Duration.ofSeconds(5));
        registry = new BundleRegistry(bc, engine, db);
        registry.start();
        meters = new SimpleMeterRegistry();
        Cfg cfg = new Cfg(Map.of("store", new Svc(server.base() + "/", Optional.of("s3cret"), Duration.ofSeconds(5))),
                Map.of("app", new Bnd("store", Optional.of(PATH), true, Duration.ofHours(1), maxDelay, backoff)),
                1 << 20);
        service = new BundleService(cfg, registry, meters);
        service.start();
    }

    private byte[] signed(String revision) {
        return TestBundles.bytes(TestBundles.sign(TestBundles.simple(revision), key.getPrivate(), "release"));
    }

    private String evaluated() {
        Evaluation e = engine.evaluate(registry.active("app").orElseThrow(), "p/rev", "{}");
        assertTrue(e.ok(), e::toString);
        return e.value().asText();
    }

    private BundleStatus awaitFirstPoll() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            BundleStatus s = service.status().get(0);
            if (s.lastRequest() != null && (s.lastSuccessfulRequest() != null || s.code() != null)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no poll within 60s: " + service.status());
    }

    @Test
    void downloadsActivatesAndRevalidatesWithTheEtag() throws Exception {
        server.publish(signed("1"), "\"etag-1\"");
        startService(Duration.ofHours(1), Duration.ofHours(2));
        BundleStatus s = awaitFirstPoll();
        assertNull(s.code(), s::toString);
        assertEquals("1", s.revision());
        assertEquals("\"etag-1\"", s.etag());
        assertNotNull(s.lastSuccessfulDownload());
        assertNotNull(s.lastSuccessfulActivation());
        assertEquals("1", evaluated());
        assertEquals("bundle-service", registry.state("app").orElseThrow().activatedBy());
        assertEquals("Bearer s3cret", server.last().authorization());
        assertNull(server.last().ifNoneMatch());
        assertNull(service.notYetActivated());

        // unchanged: the server answers 304 to the ETag, nothing is downloaded again
        s = service.pollNow("app");
        assertEquals("\"etag-1\"", server.last().ifNoneMatch());
        assertEquals(304, server.last().status());
        assertNull(s.code(), s::toString);
        assertEquals(1.0, meters.get("portcullis.bundle.service.polls").tag("outcome", "not_modified").counter().count());

        // a new revision is published: downloaded, verified and activated
        server.publish(signed("2"), "\"etag-2\"");
        s = service.pollNow("app");
        assertEquals(200, server.last().status());
        assertEquals("2", s.revision());
        assertEquals("2", evaluated());
        assertEquals("1", registry.previous("app").orElseThrow().revision());

        // an administrator's rollback holds while the server still serves revision 2
        registry.rollback("app", "alice");
        s = service.pollNow("app");
        assertEquals(304, server.last().status());
        assertEquals("1", evaluated());
    }

    @Test
    void aBadBundleOrAFailingServerKeepsTheActiveVersionAndBacksOff() throws Exception {
        server.publish(signed("1"), "\"a\"");
        startService(Duration.ofHours(1), Duration.ofHours(2));
        awaitFirstPoll();
        assertEquals("1", evaluated());

        // unsigned (production requires signatures): refused, nothing activated
        server.publish(TestBundles.bytes(TestBundles.simple("2")), "\"b\"");
        BundleStatus s = service.pollNow("app");
        assertEquals("unsigned", s.code(), s::toString);
        assertEquals(1, s.consecutiveFailures());
        assertEquals("1", evaluated());
        assertTrue(registry.version("app", "2").isEmpty());

        // signed by a key nobody trusts
        KeyPair other = TestBundles.ed25519();
        server.publish(TestBundles.bytes(TestBundles.sign(TestBundles.simple("2"), other.getPrivate(), "release")),
                "\"c\"");
        s = service.pollNow("app");
        assertEquals("bad_signature", s.code(), s::toString);
        assertEquals(2, s.consecutiveFailures());

        // truncated download (digest/format): refused
        byte[] good = signed("2");
        server.publish(java.util.Arrays.copyOf(good, good.length / 2), "\"d\"");
        s = service.pollNow("app");
        assertEquals("corrupt", s.code(), s::toString);

        // the server fails
        server.failWith = 503;
        s = service.pollNow("app");
        assertEquals(BundleService.HTTP_ERROR, s.code());
        assertEquals(4, s.consecutiveFailures());
        assertEquals("1", evaluated());
        assertEquals(4.0, meters.get("portcullis.bundle.service.failures").gauge().value());
        assertEquals(4.0, meters.get("portcullis.bundle.service.polls").tag("outcome", "error").counter().count());

        // it recovers: the good bundle arrives and the failure count resets
        server.failWith = 0;
        server.publish(good, "\"e\"");
        s = service.pollNow("app");
        assertNull(s.code(), s::toString);
        assertEquals(0, s.consecutiveFailures());
        assertEquals("2", evaluated());
        assertTrue(meters.get("portcullis.bundle.service.last.success").gauge().value() > 0);
    }

    @Test
    void backOffDoublesFromTheFirstDelayUpToTheMaximum() {
        Duration b = Duration.ofMillis(100);
        Duration max = Duration.ofMillis(800);
        assertEquals(java.util.List.of(100L, 200L, 400L, 800L, 800L, 800L),
                java.util.stream.IntStream.of(1, 2, 3, 4, 5, 40)
                        .mapToObj(n -> BundleService.backoff(b, max, n).toMillis()).toList());
    }

    @Test
    void retriesOnItsOwnWithExponentialBackOff() throws Exception {
        server.failWith = 500;
        startService(Duration.ofMillis(100), Duration.ofMillis(800));
        awaitFirstPoll();
        assertTrue(registry.active("app").isEmpty());
        assertEquals("app", service.notYetActivated());
        long deadline = System.currentTimeMillis() + 60_000;
        while (server.requests.size() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        BundleStatus s = service.status().get(0);
        assertTrue(s.consecutiveFailures() >= 5, s::toString);
        assertTrue(s.nextPoll() != null, s::toString);
        server.failWith = 0;
        server.publish(signed("7"), "\"x\"");
        deadline = System.currentTimeMillis() + 60_000;
        while (registry.active("app").isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("7", evaluated());
        assertNull(service.notYetActivated());
    }
}
