package dev.portcullis.gate.decisions;

import static dev.portcullis.gate.decisions.DecisionTestSupport.draft;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.UUID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.ConfigProvider;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;

/**
 * A real outage: the service talks to an H2 TCP server that the test stops and restarts (the same
 * in the H2 and the PostgreSQL CI run — this profile always uses H2 over TCP).
 */
@QuarkusTest
@TestProfile(DecisionOutageTest.H2TcpProfile.class)
class DecisionOutageTest {

    public static class H2TcpProfile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(H2TcpServerResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new java.util.HashMap<>(H2TcpServerResource.datasourceConfig());
            // this profile is always H2 (also in the PostgreSQL CI run): pin the vendor migrations
            m.put("quarkus.flyway.locations", "db/migration,db/vendor/h2");
            m.put("portcullis.decisions.commit-timeout", "2s");
            m.put("portcullis.decisions.probe-interval", "200ms");
            m.put("portcullis.decisions.queue-capacity", "4");
            return m;
        }
    }

    @Inject
    DecisionRecorder recorder;

    @Inject
    DecisionQueries queries;

    @Inject
    AgroalDataSource dataSource;

    /**
     * A stalled (not down) database: another transaction holds an uncommitted row with the next
     * seq, so the writer's INSERT waits on the row lock. Callers must still get an answer within
     * the commit timeout, and a full queue must fail immediately.
     */
    @Test
    void stalledDatabaseBoundsTheWaitAndTheQueue() throws Exception {
        DecisionRecord tail = recorder.record(draft("test/stall", true));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement ps = blocker.prepareStatement(DecisionRows.INSERT)) {
                DecisionRows.bind(ps, new DecisionRecord(tail.seq() + 1, UUID.randomUUID(), Instant.now(), "blocker",
                        "test/stall", null, null, null, null, null, null, false, null, 0, tail.hash(), "f".repeat(64)));
                ps.executeUpdate();
            }
            // one in flight (the writer is stuck on it) ...
            Future<Long> inFlight = pool.submit(() -> timedFailure(() -> recorder.record(draft("test/stall", true))));
            Thread.sleep(300);
            // ... then fill the queue (capacity 4) ...
            List<Future<Long>> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                queued.add(pool.submit(() -> timedFailure(() -> recorder.record(draft("test/stall", true)))));
            }
            long deadline = System.currentTimeMillis() + 1000;
            while (recorder.queueDepth() < 4 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(4, recorder.queueDepth());
            // ... and the next one fails at once
            long t = timedFailure(() -> recorder.record(draft("test/stall", true)));
            assertTrue(t < 200_000_000L, "queue full must fail immediately: " + t / 1_000_000 + " ms");
            assertTrue(inFlight.get() < 2_500_000_000L, "bounded wait");
            for (Future<Long> f : queued) {
                assertTrue(f.get() < 2_500_000_000L, "bounded wait");
            }
            blocker.rollback();
        } finally {
            pool.shutdownNow();
        }
        DecisionRecord after = null;
        long deadline = System.currentTimeMillis() + 15_000;
        while (after == null && System.currentTimeMillis() < deadline) {
            try {
                after = recorder.record(draft("test/stall", true));
            } catch (AuditUnavailableException e) {
                Thread.sleep(100);
            }
        }
        assertTrue(after != null, "recovered: " + recorder.lastError());
        DecisionQueries.VerifyReport v = queries.verify();
        assertTrue(v.ok(), v::toString);
        assertEquals(after.seq(), v.lastSeq());
    }

    /** Runs {@code r}, asserts it throws AuditUnavailableException, returns the nanoseconds it took. */
    private static long timedFailure(org.junit.jupiter.api.function.Executable r) {
        long s = System.nanoTime();
        assertThrows(AuditUnavailableException.class, r);
        return System.nanoTime() - s;
    }

    @Test
    void failsFastWhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        assertTrue(url.startsWith("jdbc:h2:tcp://127.0.0.1:"), url);
        int port = Integer.parseInt(url.substring("jdbc:h2:tcp://127.0.0.1:".length(), url.lastIndexOf('/')));

        DecisionRecord before = recorder.record(draft("test/outage", true));
        assertTrue(recorder.healthy());

        H2TcpServerResource.stopServer(port);
        Server restarted = null;
        try {
            // first call after the outage: pooled connection breaks mid-use
            long t0 = System.nanoTime();
            assertThrows(AuditUnavailableException.class, () -> recorder.record(draft("test/outage", true)));
            assertTrue(System.nanoTime() - t0 < 2_500_000_000L, "bounded failure");
            // concurrent callers all fail promptly too
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Long>> fs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    fs.add(pool.submit(() -> {
                        long s = System.nanoTime();
                        assertThrows(AuditUnavailableException.class, () -> recorder.record(draft("test/outage", true)));
                        return System.nanoTime() - s;
                    }));
                }
                for (Future<Long> f : fs) {
                    assertTrue(f.get() < 2_500_000_000L, "bounded failure: " + f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertFalse(recorder.healthy());
            given().when().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'decision-store' }.status", equalTo("DOWN"));
            assertThrows(AuditUnavailableException.class, () -> queries.find(before.decisionId()));

            restarted = H2TcpServerResource.startServer(port);

            DecisionRecord after = null;
            long deadline = System.currentTimeMillis() + 15_000;
            while (after == null && System.currentTimeMillis() < deadline) {
                try {
                    after = recorder.record(draft("test/outage", true));
                } catch (AuditUnavailableException e) {
                    Thread.sleep(100);
                }
            }
            assertTrue(after != null, "recorder recovered by itself: " + recorder.lastError());
            assertEquals(before.seq() + 1, after.seq(), "no row was written during the outage");
            assertEquals(before.hash(), after.prevHash(), "chain continues from the re-read tail");
            assertTrue(recorder.healthy());
            given().when().get("/q/health/ready").then()
                    .body("checks.find { it.name == 'decision-store' }.status", equalTo("UP"));
            for (int i = 0; i < 20; i++) {
                recorder.record(draft("test/outage", i % 3 == 0));
            }
            DecisionQueries.VerifyReport v = queries.verify();
            assertTrue(v.ok(), v::toString);
        } finally {
            if (restarted == null) {
                H2TcpServerResource.startServer(port);
            }
        }
    }
}
