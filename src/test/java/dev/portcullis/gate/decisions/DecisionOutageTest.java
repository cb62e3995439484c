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
import jakarta.inject.Inject;
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
            return Map.of("quarkus.datasource.db-kind", "h2",
                    "portcullis.decisions.commit-timeout", "2s",
                    "portcullis.decisions.probe-interval", "200ms");
        }

        @Override
        public String getConfigProfile() {
            return "decisions-outage";
        }
    }

    @Inject
    DecisionRecorder recorder;

    @Inject
    DecisionQueries queries;

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
