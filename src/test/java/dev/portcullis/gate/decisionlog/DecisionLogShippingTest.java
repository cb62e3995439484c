package dev.portcullis.gate.decisionlog;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.decisions.DecisionQueries;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decisions made through the API reach a real local decision-log receiver in OPA's event format; a receiver that
 * refuses or is gone delays shipping but loses nothing; a restarted shipper resumes from the acknowledged seq.
 */
@QuarkusTest
@TestProfile(DecisionLogTestProfile.class)
class DecisionLogShippingTest {

    static LogReceiver receiver;

    @Inject
    DecisionLogShipper shipper;

    @Inject
    DecisionQueries queries;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new LogReceiver(DecisionLogTestProfile.port());
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop();
    }

    static String decide(String user) {
        return given().header("Authorization", "Bearer dev-client").contentType("application/json")
                .body("{\"input\": {\"user\": \"" + user + "\", \"secret\": \"pin-1234\", \"n\": 1}}")
                .post("/v1/data/p/allow").then().statusCode(200).extract().path("decision_id");
    }

    static List<String> decide(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(decide(i % 2 == 0 ? "alice" : "bob"));
        }
        return ids;
    }

    static void awaitShipped(List<String> ids) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> receiver.decisionIds().containsAll(ids));
    }

    @Test
    void shipsEveryDecisionInOpaFormatThroughDowntimeAndRestart() throws Exception {
        // 1. normal operation: events in OPA's format, gzip, in seq order
        List<String> first = decide(5);
        awaitShipped(first);
        LogReceiver.Upload upload = receiver.uploads.get(0);
        assertEquals("gzip", upload.contentEncoding());
        assertEquals("application/json", upload.contentType());
        assertEquals("Bearer " + DecisionLogTestProfile.TOKEN, upload.authorization());
        JsonNode e = event(first.get(0));
        assertEquals("gate-test", e.at("/labels/app").asText());
        assertEquals("replica-a", e.at("/labels/id").asText());
        assertTrue(e.at("/labels/version").isTextual());
        assertEquals("1", e.at("/bundles/gate/revision").asText(), e.toString());
        assertEquals("p/allow", e.path("path").asText());
        assertEquals("alice", e.at("/input/user").asText());
        assertTrue(e.at("/input/n").isNumber());
        assertTrue(e.at("/input/secret").isMissingNode(), "erased field shipped: " + e);
        assertEquals("[\"/input/secret\"]", e.path("erased").toString(), "only fields actually present are listed");
        assertTrue(e.path("result").asBoolean(), e.toString());
        assertTrue(event(first.get(1)).path("result").isMissingNode(), "undefined for bob: no result, as OPA logs it");
        assertEquals("dev-client", e.path("requested_by").asText());
        Instant.parse(e.path("timestamp").asText());
        assertTrue(e.at("/metrics/timer_server_handler_ns").asLong() > 0);
        assertTrue(e.path("error").isMissingNode());
        assertEquals(first, receiver.decisionIds().subList(0, 5), "shipped in the record's order");
        long ackedAfterFirst = shipper.ackedSeq();
        assertEquals(queries.lastSeq(), ackedAfterFirst);

        // 2. the receiver refuses (503): nothing is acknowledged, retries back off, then everything arrives
        receiver.failWith = 503;
        List<String> refusedBatch = decide(4);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.refused >= 3);
        assertEquals(ackedAfterFirst, shipper.ackedSeq());
        assertNotNull(shipper.lastError());
        receiver.failWith = 0;
        awaitShipped(refusedBatch);

        // 3. the receiver is gone: decisions keep being made and recorded, shipping waits
        receiver.stop();
        List<String> duringOutage = decide(16); // more than max-batch: several uploads once it is back
        Thread.sleep(500);
        assertTrue(shipper.lastError().contains("unreachable"), shipper.lastError());
        assertTrue(queries.lastSeq() - shipper.ackedSeq() >= 16, "lag grows while the receiver is down");
        receiver.start();
        awaitShipped(duringOutage);
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.ackedSeq() == queries.lastSeq());
        assertTrue(receiver.uploads.stream().allMatch(u -> u.events().size() <= 7), "max-batch honoured");

        // 4. restart: the shipper resumes from the acknowledged seq, re-sending nothing acknowledged
        shipper.stop();
        int before = receiver.events().size();
        List<String> whileStopped = decide(3);
        Thread.sleep(300);
        assertEquals(before, receiver.events().size(), "a stopped shipper sends nothing");
        shipper.start();
        awaitShipped(whileStopped);
        await().atMost(Duration.ofSeconds(10)).until(() -> shipper.ackedSeq() == queries.lastSeq());
        List<String> afterRestart = receiver.decisionIds().subList(before, receiver.events().size());
        assertEquals(whileStopped, afterRestart, "after a restart only the unacknowledged decisions are shipped");

        // every decision of the record reached the receiver, in seq order, none twice
        List<String> all = new ArrayList<>(first);
        all.addAll(refusedBatch);
        all.addAll(duringOutage);
        all.addAll(whileStopped);
        List<String> received = receiver.decisionIds();
        assertEquals(new HashSet<>(received).size(), received.size(), "no duplicates in this run");
        assertEquals(all, received.stream().filter(Set.copyOf(all)::contains).toList());
    }

    private static JsonNode event(String decisionId) {
        return receiver.events().stream().filter(e -> e.path("decision_id").asText().equals(decisionId)).findFirst()
                .orElseThrow(() -> new AssertionError("no event for " + decisionId));
    }
}
