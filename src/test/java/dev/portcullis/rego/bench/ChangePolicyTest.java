package dev.portcullis.rego.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.styra.opa.wasm.OpaPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark's realistic policy decides correctly, so its figures measure real work. */
class ChangePolicyTest {

    static OpaPolicy policy;

    @BeforeAll
    static void load() {
        policy = OpaPolicy.builder().withPolicy(ChangePolicy.compile()).build();
        policy.data(ChangePolicy.DATA);
        policy.entrypoint(ChangePolicy.ENTRYPOINT);
    }

    static JsonNode decide(Consumer<ObjectNode> mutate) throws Exception {
        ObjectNode input = ChangePolicy.approvableChange(3);
        mutate.accept((ObjectNode) input.get("change"));
        JsonNode rs = ChangePolicy.JSON.readTree(policy.evaluate(ChangePolicy.json(input)));
        return rs.get(0).get("result");
    }

    static List<String> reasons(JsonNode decision) {
        List<String> out = new ArrayList<>();
        decision.get("reasons").forEach(r -> out.add(r.asText()));
        return out;
    }

    @Test
    void theInputIsAsLargeAsTheIssueAsks() {
        int size = ChangePolicy.json(ChangePolicy.approvableChange(3)).length();
        assertTrue(size > 2_500 && size < 4_500, "input size " + size);
    }

    @Test
    void anApprovableChangeIsAllowed() throws Exception {
        JsonNode d = decide(c -> {});
        assertEquals(List.of(), reasons(d));
        assertTrue(d.get("allow").asBoolean());
        assertEquals(8, d.get("summary").get("production").asInt());
        assertEquals("[\"bo\",\"cy\",\"sec1\"]", d.get("summary").get("approvers").toString(),
                "the author's own approval does not count");
        assertEquals("[\"resource res-3-10: cost delta 103\",\"resource res-3-11: cost delta 113\"]",
                d.get("warnings").toString());
    }

    @Test
    void eachRuleDeniesOnItsOwn() throws Exception {
        JsonNode d = decide(c -> ((ObjectNode) c.get("resources").get(0)).remove("backup_verified"));
        assertFalse(d.get("allow").asBoolean());
        assertEquals(List.of("resource res-3-0: database without a verified backup"), reasons(d));

        d = decide(c -> ((ObjectNode) c.get("resources").get(1).get("labels")).remove("data-class"));
        assertEquals(List.of("resource res-3-1: missing label data-class"), reasons(d));

        d = decide(c -> ((ArrayNode) c.get("approvals")).remove(1));
        assertEquals(List.of("high-risk production changes need an approval from security"), reasons(d));

        d = decide(c -> c.put("submitted_at", "2026-12-02T13:00:00Z"));
        assertEquals(List.of("production changes must run inside their window"), reasons(d));

        d = decide(c -> ((ArrayNode) c.get("tickets")).remove(1));
        assertEquals(List.of("every production resource needs a ticket"), reasons(d));

        d = decide(c -> ((ObjectNode) c.get("resources").get(2)).put("id", "res-3-0"));
        assertEquals(List.of("resource id res-3-0 appears 2 times"), reasons(d));

        d = decide(c -> ((ObjectNode) c.get("resources").get(5)).put("env", "dr"));
        assertEquals(List.of("environment dr is frozen"), reasons(d));

        d = decide(c -> ((ObjectNode) c.get("resources").get(4)).put("cost_delta", 9000));
        assertEquals(List.of("cost delta 9653 exceeds 5000"), reasons(d));
        assertEquals(3, d.get("warnings").size());
    }

    @Test
    void missingFactsDeny() throws Exception {
        JsonNode d = decide(c -> c.remove("author"));
        assertFalse(d.get("allow").asBoolean());
        assertTrue(reasons(d).contains("the change has no author"), reasons(d)::toString);

        d = decide(c -> c.remove("risk"));
        assertEquals(List.of("the risk level is missing or unknown"), reasons(d));

        d = decide(c -> c.remove("window"));
        assertEquals(List.of("production changes must run inside their window"), reasons(d));

        d = decide(c -> ((ObjectNode) c.get("resources").get(8)).remove("encrypted"));
        assertEquals(List.of("resource res-3-8: not encrypted"), reasons(d));

        d = decide(c -> c.remove("id"));
        assertFalse(d.get("allow").asBoolean(), "no change id, no allow");

        d = decide(c -> c.putArray("resources"));
        assertEquals(List.of("the change touches no resources"), reasons(d));
    }
}
