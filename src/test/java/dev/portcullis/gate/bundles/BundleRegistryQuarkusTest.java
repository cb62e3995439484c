package dev.portcullis.gate.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.gate.engine.EngineConfig;
import dev.portcullis.gate.engine.Evaluation;
import dev.portcullis.gate.engine.PolicyEngine;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(BundlesTestProfile.class)
class BundleRegistryQuarkusTest {

    @Inject
    BundleRegistry registry;

    @Inject
    PolicyEngine engine;

    @Inject
    BundlesConfig config;

    @Inject
    EngineConfig engineConfig;

    @Inject
    MeterRegistry meters;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void configDefaultsAndOverrides() {
        assertEquals(BundlesTestProfile.DIR.toString(), config.dir());
        assertFalse(config.requireSignature());
        assertEquals("portcullis", config.defaultName());
        assertTrue(config.active().isEmpty());
        assertTrue(config.publicKeys().isEmpty());
        assertEquals(Duration.ofSeconds(5), engineConfig.timeout());
        assertEquals(160, engineConfig.maxMemoryPages());
        assertEquals(2 * Runtime.getRuntime().availableProcessors(), engineConfig.effectivePoolSize());
    }

    @Test
    void loadedAtStartupAndEvaluates() {
        assertTrue(registry.started());
        assertTrue(registry.names().contains("gate"));
        BundleVersion active = registry.activeFor("p/allow").orElseThrow();
        Evaluation e = engine.evaluate(active, "p/allow", "{\"user\":\"alice\"}");
        assertTrue(e.ok(), e::toString);
        assertTrue(e.value().asBoolean());
        assertNotNull(meters.find("portcullis_pool_size").tag("bundle", "gate").gauge());
        assertNotNull(meters.find("portcullis_evaluation").tag("bundle", "gate").timer());
        assertTrue(registry.hasActive());
        assertTrue(registry.smokeActive().get("gate").ok());
    }

    @Test
    void activationIsStoredInTheMigratedTable() throws Exception {
        registry.activate("gate", "1", "quarkus-test");
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT revision, activated_by FROM bundle_activation WHERE bundle_name = ?")) {
            ps.setString(1, "gate");
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("1", rs.getString(1));
                assertEquals("quarkus-test", rs.getString(2));
            }
        }
        assertEquals("1", engine.evaluate(registry.active("gate").orElseThrow(), "p/rev", "{}").value().asText());
        registry.rollback("gate", "quarkus-test");
    }

    @Test
    void thePollerPicksUpNewFilesWithinFiveSeconds() throws Exception {
        TestBundles.write(BundlesTestProfile.DIR, "gate", "3", TestBundles.bytes(TestBundles.simple("3")));
        TestBundles.write(BundlesTestProfile.DIR, "late", "1", TestBundles.bytes(TestBundles.simple("1")));
        long start = System.nanoTime();
        while ((registry.version("gate", "3").isEmpty() || registry.active("late").isEmpty())
                && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(50);
        }
        assertTrue(registry.version("gate", "3").isPresent(), "gate@3 loaded by the poller");
        assertTrue(registry.active("late").isPresent(), "a new bundle name is activated by default");
        assertFalse(registry.active("gate").orElseThrow().revision().equals("3"), "not auto-activated");
    }
}
