package dev.portcullis.gate.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gate.engine.EngineConfig;
import dev.portcullis.gate.engine.PolicyEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module whose start function never returns (real Wasm, built by appending a start function to
 * a compiled policy) must be rejected within the intake budget, without stopping activation, the
 * poller or the bundles already loaded, and without leaving a thread spinning.
 */
class BundleIntakeBudgetTest {

    static final Duration BUDGET = Duration.ofSeconds(4);

    @TempDir
    Path dir;

    private PolicyEngine engine;
    private BundleRegistry registry;

    private BundleRegistry registry() {
        engine = new PolicyEngine(EngineConfig.of(2, Duration.ofSeconds(5), Duration.ofSeconds(5), 160, BUDGET),
                new SimpleMeterRegistry());
        registry = new BundleRegistry(new TestBundles.Config(dir), engine, TestBundles.database());
        return registry;
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aLoopingStartFunctionInTheDirectoryIsRejectedAndTheRestLoads() throws Exception {
        TestBundles.write(dir, "app", "1", TestBundles.bytes(TestBundles.simple("1")));
        TestBundles.write(dir, "app", "2", TestBundles.bytes(TestBundles.simpleWithStart("2", null, TestBundles.LOOP_FOREVER)));
        BundleRegistry r = registry();
        long t0 = System.nanoTime();
        r.start();
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < BUDGET.toMillis() + 8000, "startup took " + ms + " ms");
        assertEquals("1", r.active("app").orElseThrow().revision());
        assertEquals(List.of("1"), r.versions("app").stream().map(BundleVersion::revision).toList());
        Rejection rej = r.rejections().get(0);
        assertEquals("2", rej.revision());
        assertEquals(BundleRejectedException.SMOKE_FAILED, rej.reason());
        assertTrue(rej.message().contains("exceeded"), rej.message());
        assertTrue(engine.evaluate(r.active("app").orElseThrow(), "p/allow", "{\"user\":\"alice\"}").ok());
        assertNoIntakeThreadRunning();
    }

    @Test
    void aLoopingUploadIsRejectedWhileActivationAndScansGoOn() throws Exception {
        TestBundles.write(dir, "app", "1", TestBundles.bytes(TestBundles.simple("1")));
        TestBundles.write(dir, "app", "2", TestBundles.bytes(TestBundles.simple("2")));
        BundleRegistry r = registry();
        r.start();
        assertEquals("2", r.active("app").orElseThrow().revision());
        byte[] looping = TestBundles.bytes(TestBundles.simpleWithStart("3", "app", TestBundles.LOOP_FOREVER));
        CompletableFuture<Throwable> upload = CompletableFuture.supplyAsync(() -> {
            try {
                r.upload(looping, "admin");
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        Thread.sleep(300); // the upload is now inside its smoke evaluation
        assertFalse(upload.isDone());
        long t0 = System.nanoTime();
        r.activate("app", "1", "admin");
        r.scan();
        r.rollback("app", "admin");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        // the looping upload cannot end before its budget runs out: finishing while it is still
        // running proves these did not wait for it (a wall-clock bound would flake on a loaded machine)
        assertFalse(upload.isDone(), "activation, scan and rollback waited " + ms + " ms, until the upload ended");
        Throwable t = upload.get(BUDGET.toMillis() + 8000, TimeUnit.MILLISECONDS);
        assertTrue(t instanceof BundleRejectedException, String.valueOf(t));
        assertEquals(BundleRejectedException.SMOKE_FAILED, ((BundleRejectedException) t).reason());
        assertTrue(r.version("app", "3").isEmpty());
        assertFalse(dir.resolve("app").resolve("3.tar.gz").toFile().exists(), "nothing stored");
        assertEquals("2", r.active("app").orElseThrow().revision());
        assertNoIntakeThreadRunning();
    }

    @Test
    void aTrappingStartFunctionFailsInstantiation() {
        BundleRegistry r = registry();
        r.start();
        BundleRejectedException e = assertThrows(BundleRejectedException.class,
                () -> r.upload(TestBundles.bytes(TestBundles.simpleWithStart("1", "app", TestBundles.TRAP)), "admin"));
        assertEquals(BundleRejectedException.ABI_INCOMPATIBLE, e.reason());
        assertTrue(r.names().isEmpty());
    }

    @Test
    void closingTheEngineStopsAnIntakeInProgress() throws Exception {
        BundleRegistry r = registry();
        r.start();
        byte[] looping = TestBundles.bytes(TestBundles.simpleWithStart("1", "app", TestBundles.LOOP_FOREVER));
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
            try {
                r.upload(looping, "admin");
            } catch (BundleRejectedException expected) {
                // rejected or interrupted: either way not loaded
            }
        });
        Thread.sleep(300);
        engine.close();
        assertNoIntakeThreadRunning();
        upload.get(BUDGET.toMillis() + 8000, TimeUnit.MILLISECONDS);
        assertTrue(r.names().isEmpty());
    }

    /** Every intake worker has stopped running Wasm within a moment of its deadline (none left spinning). */
    private static void assertNoIntakeThreadRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            List<Thread> busy = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("portcullis-intake") && t.getState() == Thread.State.RUNNABLE)
                    .toList();
            if (busy.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("intake threads still running: " + busy);
            }
            Thread.sleep(50);
        }
    }
}
