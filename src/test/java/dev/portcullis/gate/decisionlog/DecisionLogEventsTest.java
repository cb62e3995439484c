package dev.portcullis.gate.decisionlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.gate.decisions.DecisionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DecisionLogEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static DecisionRecord record(String bundle, String input, String result, String error) {
        return new DecisionRecord(7, UUID.fromString("4ca636c1-55e4-417a-b1d8-4aceb67960d1"),
                Instant.parse("2026-12-01T10:15:30.123456Z"), "ci-pipeline", "gate/access/request/decision", bundle,
                bundle == null ? null : "2026.11.27.1", null, "ab", input, result, false, error, 1500, "00", "11");
    }

    @Test
    void deniedRecordsCarryTheirErrorAndNoBundleWhenNoneWasActive() {
        DecisionLogEvents ev = new DecisionLogEvents(JSON, Map.of("id", "r1", "version", "0.1.0"), List.of());
        JsonNode e = ev.event(record(null, null, null, "no_active_bundle"));
        assertEquals("no_active_bundle", e.at("/error/code").asText());
        assertTrue(e.path("bundles").isMissingNode() && e.path("input").isMissingNode() && e.path("result").isMissingNode());
        assertEquals("2026-12-01T10:15:30.123456Z", e.path("timestamp").asText());
        assertEquals(1_500_000, e.at("/metrics/timer_server_handler_ns").asLong());
        assertEquals("4ca636c1-55e4-417a-b1d8-4aceb67960d1", e.path("decision_id").asText());
    }

    @Test
    void erasesNestedFieldsOfInputAndResultAndListsThem() {
        DecisionLogEvents ev = new DecisionLogEvents(JSON, Map.of(),
                List.of("/input/subject/email", "/result/reasons", "/input/missing/deeper"));
        JsonNode e = ev.event(record("portcullis", "{\"subject\":{\"id\":\"ana\",\"email\":\"ana@x\"}}",
                "{\"allow\":false,\"reasons\":[\"r\"]}", null));
        assertEquals("{\"id\":\"ana\"}", e.at("/input/subject").toString());
        assertEquals("{\"allow\":false}", e.path("result").toString());
        assertEquals("[\"/input/subject/email\",\"/result/reasons\"]", e.path("erased").toString());
        assertEquals("2026.11.27.1", e.at("/bundles/portcullis/revision").asText());
    }

    @Test
    void aStoredValueThatIsNotJsonIsShippedAsTextNotDropped() {
        DecisionLogEvents ev = new DecisionLogEvents(JSON, Map.of(), List.of());
        assertEquals("not json {", ev.event(record("b", "not json {", null, null)).path("input").asText());
    }

    @Test
    void erasePathsOutsideInputAndResultAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new DecisionLogEvents(JSON, Map.of(), List.of("/labels/id")));
        assertThrows(IllegalArgumentException.class,
                () -> new DecisionLogEvents(JSON, Map.of(), List.of("input.secret")));
    }
}
