package dev.portcullis.gate.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gate.engine.Evaluation;
import dev.portcullis.gate.engine.PolicyEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances (registry + engine each) on one database and one bundle directory: an activation or
 * rollback made on one is applied by the other at its next poll, and evaluations there use it.
 */
class ReplicaActivationTest {

    @TempDir
    Path dir;

    @TempDir
    Path other;

    private DataSource db;
    private TestBundles.Config config;
    private final List<PolicyEngine> engines = new ArrayList<>();
    private final List<BundleRegistry> registries = new ArrayList<>();

    @BeforeEach
    void setUp() {
        db = TestBundles.database();
        config = new TestBundles.Config(dir);
        for (String rev : List.of("1", "2", "3")) {
            TestBundles.write(dir, "app", rev, TestBundles.bytes(TestBundles.simple(rev)));
        }
    }

    @AfterEach
    void tearDown() {
        registries.forEach(BundleRegistry::close);
        engines.forEach(PolicyEngine::close);
    }

    private BundleRegistry instance() {
        PolicyEngine engine = TestBundles.engine(2, Duration.ofSeconds(5));
        engines.add(engine);
        BundleRegistry r = new BundleRegistry(config, engine, db);
        registries.add(r);
        r.start();
        return r;
    }

    /** What the instance actually evaluates with (the policy returns its own revision). */
    private String evaluatedRevision(BundleRegistry r) {
        PolicyEngine engine = engines.get(registries.indexOf(r));
        Evaluation e = engine.evaluate(r.active("app").orElseThrow(), "p/rev", "{}");
        assertTrue(e.ok(), e::toString);
        return e.value().asText();
    }

    @Test
    void activationAndRollbackOnOneInstanceReachTheOther() {
        BundleRegistry a = instance();
        BundleRegistry b = instance();
        assertEquals("3", evaluatedRevision(b));

        a.activate("app", "1", "alice");
        assertEquals("1", evaluatedRevision(a));
        assertEquals("3", evaluatedRevision(b), "not before B polls");
        b.poll();
        assertEquals("1", evaluatedRevision(b));
        assertEquals("3", b.previous("app").orElseThrow().revision());
        assertEquals("alice", b.state("app").orElseThrow().activatedBy());
        assertEquals(0, b.followActivations(), "an applied row is not applied again");

        // B rolls back; A follows
        b.rollback("app", "bob");
        assertEquals("3", evaluatedRevision(b));
        a.poll();
        assertEquals("3", evaluatedRevision(a));
        assertEquals("1", a.previous("app").orElseThrow().revision());

        // concurrent choices converge on the one saved last
        a.activate("app", "2", "alice");
        b.activate("app", "1", "bob");
        a.poll();
        b.poll();
        assertEquals("1", evaluatedRevision(a));
        assertEquals("1", evaluatedRevision(b));
    }

    @Test
    void aRevisionNotLoadedHereKeepsTheCurrentOneUntilItArrives() {
        BundleRegistry a = instance();
        TestBundles.Config bConfig = new TestBundles.Config(other);
        TestBundles.write(other, "app", "3", TestBundles.bytes(TestBundles.simple("3")));
        PolicyEngine engine = TestBundles.engine(2, Duration.ofSeconds(5));
        engines.add(engine);
        BundleRegistry b = new BundleRegistry(bConfig, engine, db);
        registries.add(b);
        b.start();

        a.activate("app", "2", "alice");
        b.poll();
        assertEquals("3", evaluatedRevision(b), "B has no revision 2: it keeps what it has");
        TestBundles.write(other, "app", "2", TestBundles.bytes(TestBundles.simple("2")));
        b.poll(); // the scan loads it, then the activation is followed
        assertEquals("2", evaluatedRevision(b));
    }
}
