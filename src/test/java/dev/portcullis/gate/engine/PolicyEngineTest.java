package dev.portcullis.gate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gate.bundles.BundleVersion;
import dev.portcullis.gate.bundles.TestBundles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Nested iteration over 4000×4000 of one array: seconds of work in little memory. */
    static final String SLOW = """
            package slow
            import rego.v1
            r := numbers.range(1, 4000)
            n := count([x | some x in r; some y in r; x == y])
            fast := true
            """;
    static final List<String> SLOW_EPS = List.of("slow/n", "slow/fast");

    /** Conflicting complete rule values abort; a huge array exceeds the memory cap. */
    static final String FAULTY = """
            package faulty
            import rego.v1
            p := 1 if input.a
            p := 2 if input.b
            big := count(numbers.range(1, 3000000)) if input.big
            ok := true
            """;
    static final List<String> FAULTY_EPS = List.of("faulty/p", "faulty/big", "faulty/ok");

    private PolicyEngine engine;
    private SimpleMeterRegistry meters;

    private PolicyEngine engine(int pool, Duration timeout, Duration acquire) {
        meters = new SimpleMeterRegistry();
        engine = new PolicyEngine(EngineConfig.of(pool, timeout, acquire, 160), meters);
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static BundleVersion simple() {
        return TestBundles.version("simple", TestBundles.simple("1"));
    }

    @Test
    void evaluatesDefinedAndUndefined() throws Exception {
        PolicyEngine e = engine(2, Duration.ofSeconds(5), Duration.ofSeconds(10));
        BundleVersion b = simple();
        Evaluation allow = e.evaluate(b, "p/allow", "{\"user\":\"alice\"}");
        assertTrue(allow.ok(), allow::errorMessage);
        assertEquals(JSON.readTree("[{\"result\":true}]"), JSON.readTree(allow.resultSetJson()));
        assertTrue(allow.value().asBoolean());
        assertTrue(allow.nanos() > 0);

        Evaluation undefined = e.evaluate(b, "p/allow", "{\"user\":\"bob\"}");
        assertTrue(undefined.ok());
        assertFalse(undefined.defined());
        assertNull(undefined.value());
        assertEquals("[]", undefined.resultSetJson().replace(" ", ""));

        Evaluation rev = e.evaluate(b, "p/rev", (String) null);
        assertEquals("1", rev.value().asText(), "data.json is loaded into the instance");
    }

    @Test
    void unknownEntrypointAndInvalidInput() {
        PolicyEngine e = engine(2, Duration.ofSeconds(5), Duration.ofSeconds(10));
        BundleVersion b = simple();
        Evaluation u = e.evaluate(b, "p/nope", "{}");
        assertEquals(Evaluation.UNKNOWN_POLICY, u.errorCode());
        assertNull(u.resultSetJson());
        assertEquals(Evaluation.UNKNOWN_POLICY, e.evaluate(null, "p/allow", "{}").errorCode());
        assertEquals(Evaluation.INVALID_INPUT, e.evaluate(b, "p/allow", "{not json").errorCode());
        assertEquals(0, e.poolStats(b).created(), "no instance is needed to refuse these");
    }

    /**
     * Input the Wasm runtime cannot parse would reach the policy as *undefined* input, and
     * {@code allow if not input.blocked} would then allow. The engine must refuse it instead.
     */
    @Test
    void inputTheRuntimeCannotRepresentIsRefusedNotEvaluatedAsAbsent() {
        PolicyEngine e = engine(1, Duration.ofSeconds(5), Duration.ofSeconds(10));
        String rego = "package gate\nimport rego.v1\nallow if not input.blocked\n";
        BundleVersion b = TestBundles.version("gate", TestBundles.bundle("1",
                TestBundles.compile(rego, List.of("gate/allow")), List.of("gate/allow"), null, null));
        assertEquals("[]", e.evaluate(b, "gate/allow", "{\"blocked\": true}").resultSetJson());
        for (String bad : new String[] {"{\"blocked\": true, \"n\": 1e400}", "[-1e999]",
                "[".repeat(1000) + "]".repeat(1000), "{\"blocked\": true} {}", "{\"blocked\": true"}) {
            Evaluation r = e.evaluate(b, "gate/allow", bad);
            assertEquals(Evaluation.INVALID_INPUT, r.errorCode(), () -> bad.substring(0, Math.min(40, bad.length())));
        }
        assertTrue(e.evaluate(b, "gate/allow", "[".repeat(800) + "]".repeat(800)).ok(), "deep but representable input");
        assertTrue(e.evaluate(b, "gate/allow", "12").ok());
    }

    @Test
    void poolReusesInstancesAndDiscardsFailedOnes() {
        PolicyEngine e = engine(2, Duration.ofSeconds(5), Duration.ofSeconds(10));
        BundleVersion b = TestBundles.version("faulty",
                TestBundles.bundle("1", TestBundles.compile(FAULTY, FAULTY_EPS), FAULTY_EPS, null, null));
        for (int i = 0; i < 20; i++) {
            assertTrue(e.evaluate(b, "faulty/ok", "{}").ok());
            assertEquals(1, e.evaluate(b, "faulty/p", "{\"a\":true}").value().asInt());
        }
        PoolStats s = e.poolStats(b);
        assertEquals(1, s.created(), "sequential evaluations reuse one instance: " + s);
        assertEquals(1, s.size());
        assertEquals(0, s.inUse());

        Evaluation conflict = e.evaluate(b, "faulty/p", "{\"a\":true,\"b\":true}");
        assertEquals(Evaluation.EVALUATION_ERROR, conflict.errorCode(), conflict::errorMessage);
        assertNotNull(conflict.errorMessage());
        s = e.poolStats(b);
        assertEquals(1, s.discarded(), "the aborted instance is discarded: " + s);
        assertEquals(0, s.size());

        assertTrue(e.evaluate(b, "faulty/ok", "{}").ok(), "a fresh instance replaces it");
        assertEquals(2, e.poolStats(b).created());

        Evaluation oom = e.evaluate(b, "faulty/big", "{\"big\":true}");
        assertEquals(Evaluation.MEMORY_LIMIT, oom.errorCode(), oom::errorMessage);
        assertEquals(2, e.poolStats(b).discarded());

        assertEquals(1.0, meters.get("portcullis_evaluation_errors").tag("code", "evaluation_error").counter().count());
        assertEquals(1.0, meters.get("portcullis_evaluation_errors").tag("code", "memory_limit").counter().count());
        assertTrue(meters.get("portcullis_evaluation").tag("outcome", "ok").timer().count() >= 41);
        assertNotNull(meters.get("portcullis_pool_size").tag("bundle", "faulty").tag("revision", "1").gauge());
        assertNotNull(meters.get("portcullis_pool_in_use").tag("bundle", "faulty").gauge());
    }

    @Test
    void slowEvaluationTimesOutAndItsInstanceIsReplaced() throws Exception {
        PolicyEngine e = engine(2, Duration.ofMillis(50), Duration.ofSeconds(10));
        BundleVersion b = TestBundles.version("slow",
                TestBundles.bundle("1", TestBundles.compile(SLOW, SLOW_EPS), SLOW_EPS, null, null));
        assertTrue(e.evaluate(b, "slow/fast", "{}").ok()); // warm one instance
        long created = e.poolStats(b).created();
        assertEquals(0, e.poolStats(b).discarded());

        Evaluation t = e.evaluate(b, "slow/n", "{}");
        assertEquals(Evaluation.TIMEOUT, t.errorCode(), () -> t.errorCode() + " " + t.errorMessage());
        assertTrue(t.nanos() < TimeUnit.MILLISECONDS.toNanos(1000), "returns at the deadline, not when the worker ends");
        PoolStats s = e.poolStats(b);
        assertEquals(1, s.discarded(), s::toString);

        Evaluation fast = e.evaluate(b, "slow/fast", "{}");
        assertTrue(fast.ok(), fast::errorMessage);
        assertTrue(e.poolStats(b).created() >= created, "the pool can create a fresh instance");
        // the watchdog's interrupt never outlives the evaluation it was meant for
        assertFalse(Thread.interrupted(), "the calling thread must not be left interrupted");
    }

    @Test
    void manyConcurrentTimeoutsLeaveTheEngineUsable() throws Exception {
        PolicyEngine e = engine(4, Duration.ofMillis(30), Duration.ofSeconds(5));
        BundleVersion b = TestBundles.version("slow", TestBundles.bundle("1",
                TestBundles.compile(SLOW, List.of("slow/n", "slow/fast")), List.of("slow/n", "slow/fast"), null, null));
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Evaluation>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(callers.submit(() -> e.evaluate(b, "slow/n", "{}")));
            }
            for (Future<Evaluation> f : results) {
                assertEquals(Evaluation.TIMEOUT, f.get(30, TimeUnit.SECONDS).errorCode());
            }
            for (int i = 0; i < 8; i++) {
                Evaluation fast = callers.submit(() -> e.evaluate(b, "slow/fast", "{}")).get(30, TimeUnit.SECONDS);
                assertTrue(fast.ok(), () -> fast.errorCode() + " " + fast.errorMessage());
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void busyWhenNoInstanceIsFree() throws Exception {
        PolicyEngine e = engine(1, Duration.ofSeconds(30), Duration.ofMillis(100));
        BundleVersion b = TestBundles.version("slow",
                TestBundles.bundle("1", TestBundles.compile(SLOW, SLOW_EPS), SLOW_EPS, null, null));
        assertTrue(e.evaluate(b, "slow/fast", "{}").ok());
        CompletableFuture<Evaluation> running = CompletableFuture.supplyAsync(() -> e.evaluate(b, "slow/n", "{}"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (e.poolStats(b).inUse() == 0 && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        Evaluation busy = e.evaluate(b, "slow/fast", "{}");
        assertEquals(Evaluation.BUSY, busy.errorCode(), busy::errorMessage);
        Evaluation slow = running.get(60, TimeUnit.SECONDS);
        assertTrue(slow.ok(), slow::toString);
        assertEquals(4000, slow.value().asInt());
    }

    @Test
    void dataTheRuntimeCannotRepresentFailsInstantiationInsteadOfLoadingAsEmpty() throws Exception {
        PolicyEngine e = engine(1, Duration.ofSeconds(5), Duration.ofSeconds(10));
        String rego = "package gate\nimport rego.v1\nallow if count(data.blocked) == 0\n";
        com.fasterxml.jackson.databind.JsonNode data = new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree("{\"blocked\": [\"x\"], \"limit\": 1e400}");
        BundleVersion b = TestBundles.version("gate", TestBundles.bundle("1",
                TestBundles.compile(rego, List.of("gate/allow")), List.of("gate/allow"), data, null));
        SmokeResult smoke = e.smokeTest(b);
        assertFalse(smoke.ok(), smoke::summary);
        Evaluation r = e.evaluate(b, "gate/allow", "{}");
        assertEquals(Evaluation.INSTANTIATION_ERROR, r.errorCode(), r::toString);
        assertTrue(r.errorMessage().contains("bundle data"), r::errorMessage);
    }

    @Test
    void smokeTestReportsInstantiationFailure() {
        PolicyEngine e = engine(1, Duration.ofSeconds(5), Duration.ofSeconds(10));
        BundleVersion ok = simple();
        SmokeResult r = e.smokeTest(ok);
        assertTrue(r.ok(), r::summary);
        assertEquals(1, e.poolStats(ok).size(), "the smoke instance stays warm in the pool");

        BundleVersion broken = TestBundles.version("broken",
                TestBundles.bundle("1", TestBundles.nonOpaWasm(), List.of("p/allow"), null, null));
        SmokeResult bad = e.smokeTest(broken);
        assertFalse(bad.ok());
        assertTrue(bad.instantiationFailed(), bad::summary);
        Evaluation ev = e.evaluate(broken, "p/allow", "{}");
        assertEquals(Evaluation.INSTANTIATION_ERROR, ev.errorCode());
    }

    @Test
    void concurrentEvaluationsShareTheBoundedPool() throws Exception {
        PolicyEngine e = engine(3, Duration.ofSeconds(10), Duration.ofSeconds(30));
        BundleVersion b = simple();
        List<CompletableFuture<Evaluation>> fs = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String in = i % 2 == 0 ? "{\"user\":\"alice\"}" : "{\"user\":\"bob\"}";
            fs.add(CompletableFuture.supplyAsync(() -> e.evaluate(b, "p/allow", in)));
        }
        for (int i = 0; i < fs.size(); i++) {
            Evaluation ev = fs.get(i).get(60, TimeUnit.SECONDS);
            assertTrue(ev.ok(), ev::toString);
            assertEquals(i % 2 == 0, ev.defined());
        }
        PoolStats s = e.poolStats(b);
        assertTrue(s.created() <= 3, s::toString);
        assertEquals(0, s.inUse());
    }
}
