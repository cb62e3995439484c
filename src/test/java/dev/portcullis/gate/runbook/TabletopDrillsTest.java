package dev.portcullis.gate.runbook;

import static dev.portcullis.gate.runbook.Api.declare;
import static dev.portcullis.gate.runbook.Api.get;
import static dev.portcullis.gate.runbook.Api.patch;
import static dev.portcullis.gate.runbook.Api.post;
import static dev.portcullis.gate.runbook.Api.put;
import static dev.portcullis.gate.runbook.Api.to;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runbook's quarterly tabletop exercises, scripted: one availability, one data-integrity and
 * one governance/sensitivity scenario, each played by a team of distinct callers through the
 * real HTTP API and ending with the evidence export, which must verify.
 */
@QuarkusTest
@TestProfile(RunbookTestProfile.class)
class TabletopDrillsTest {

    static final String REVISION = revision();

    static String revision() {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "<portcullis.policies.revision>([^<]+)</portcullis.policies.revision>")
                    .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("pom.xml")));
            assertTrue(m.find());
            return m.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Response access(String subject, String action, String dataset, String version, String extra) {
        return post("portal", "/v1/access", "{\"subject\":\"" + subject + "\",\"action\":\"" + action
                + "\",\"dataset_id\":\"" + dataset + "\",\"version_id\":\"" + version + "\"" + extra + "}");
    }

    /** Exports the evidence as the steward and checks it is complete and verifies. */
    static JsonPath evidence(String id) {
        Response r = get("gs", "/v1/incidents/" + id + "/evidence");
        r.then().statusCode(200)
                .body("incident.incident_id", equalTo(id))
                .body("incident.status", equalTo("resolved"))
                .body("verification.ok", equalTo(true))
                .body("verification.chain.ok", equalTo(true))
                .body("verification.linked_decisions_found", equalTo(true))
                .body("decisions.found", everyItem(equalTo(true)))
                .body("decisions.hash_matches", everyItem(equalTo(true)))
                .body("decisions.bundle.name", everyItem(equalTo("portcullis")))
                .body("decisions.bundle.revision", everyItem(equalTo(REVISION)))
                .body("decisions.bundle.sha256", everyItem(notNullValue()))
                .body("audit_trail[0].action", equalTo("declared"));
        JsonPath e = r.jsonPath();
        // every decision id on the timeline is among the exported decisions
        List<String> exported = e.getList("decisions.decision_id");
        List<String> onTimeline = e.getList("incident.timeline_utc.decision_id");
        onTimeline.stream().filter(d -> d != null).forEach(d -> assertTrue(exported.contains(d), d));
        return e;
    }

    @Test
    void availabilityOutage() {
        // 14:02Z alert: the API gateway returns 5xx for most users
        String id = declare("dee", "{\"sev\":\"SEV1\",\"title\":\"API gateway 5xx\",\"systems_affected\":[\"api\"],"
                + "\"policy_flags\":[\"none\"],\"external_user_impact\":\"most API calls fail\"}");
        // the declaring responder takes IC and staffs the minimum roles
        patch("dee", "/v1/incidents/" + id, "{\"ic\":\"dee\"}").then().statusCode(200);
        to("dee", id, "mitigating").then().statusCode(409).body("reasons", hasItems("role tech_lead must be assigned",
                "role scribe must be assigned"));
        patch("dee", "/v1/incidents/" + id, "{\"tech_lead\":\"bo\",\"scribe\":\"cy\",\"comms\":\"sam\"}").then().statusCode(200);
        to("bo", id, "mitigating").then().statusCode(200).body("obligations", hasItem(Map.of("type", "status_update",
                "every_minutes", 30)));
        post("sam", "/v1/incidents/" + id + "/updates", "{\"message\":\"Rolling back deploy 4411. Next update in 30 min.\"}")
                .then().statusCode(200);
        post("cy", "/v1/incidents/" + id + "/mitigation", Api.stableMitigation()).then().statusCode(200);
        to("bo", id, "mitigated").then().statusCode(200);
        post("cy", "/v1/incidents/" + id + "/closure", "{\"root_cause\":\"connection pool size 0 in deploy 4411\","
                + "\"preventive_fix\":{\"ref\":\"PR-982\",\"merged\":true},\"postmortem\":{\"completed_utc\":\""
                + Api.ago(5) + "\",\"ref\":\"PM-2026-031\"}}").then().statusCode(200);
        to("dee", id, "resolved").then().statusCode(200).body("obligations", hasSize(0));

        JsonPath e = evidence(id);
        assertEquals(List.of("declared", "mitigating", "mitigated", "resolved"), statuses(e));
        assertTrue(e.getList("decisions.policy").contains("gate/incidents/transition/decision"));
        assertTrue(e.getList("decisions.allow").contains(false), "the denied first move is evidence too");
        assertTrue(e.getList("audit_trail.action").contains("denied: status declared -> mitigating"));
        assertEquals(1, e.getList("status_updates").size());
    }

    @Test
    void dataIntegrityRegression() {
        put("gs", "/v1/datasets/drill-stats", "{\"classification\":\"public\",\"license\":\"ok\",\"owner\":\"stats\"}")
                .then().statusCode(201);
        put("gs", "/v1/subjects/drill-public", "{\"roles\":[\"analyst\"],\"need_to_know\":[]}").then().statusCode(201);
        String id = declare("ana", "{\"sev\":\"SEV2\",\"title\":\"county totals doubled\",\"ic\":\"ana\",\"tech_lead\":\"bo\","
                + "\"scribe\":\"cy\",\"policy_flags\":[\"none\"],\"datasets_affected\":[{\"dataset_id\":\"drill-stats\","
                + "\"version_id\":\"2026-11\"}],\"hypotheses\":[\"join fan-out\"]}");
        // contain: quarantine the bad version, effective for the next decision
        post("bo", "/v1/datasets/drill-stats/versions/2026-11/quarantine", "{\"incident_id\":\"" + id
                + "\",\"reason\":\"totals doubled by a join fan-out\"}").then().statusCode(201);
        access("drill-public", "serve", "drill-stats", "2026-11", "").then().body("allow", equalTo(false));
        to("ana", id, "mitigating").then().statusCode(200);
        post("cy", "/v1/incidents/" + id + "/mitigation", Api.stableMitigation()).then().statusCode(200);
        to("ana", id, "mitigated").then().statusCode(200);
        // regression: the replacement build is wrong too; back to mitigating, quarantine it as well
        to("ana", id, "mitigating").then().statusCode(200);
        post("bo", "/v1/datasets/drill-stats/versions/2026-11b/quarantine", "{\"incident_id\":\"" + id
                + "\",\"reason\":\"rebuild still fans out\"}").then().statusCode(201);
        // releasing onto a quarantined replacement is refused
        post("gs", "/v1/datasets/drill-stats/versions/2026-11/release", "{\"reason\":\"replaced\",\"replacement_version\":\"2026-11b\"}")
                .then().statusCode(409).body("reasons", hasItem("the replacement version is itself quarantined"));
        post("gs", "/v1/datasets/drill-stats/versions/2026-11/release", "{\"reason\":\"2026-11c recomputed from raw\","
                + "\"replacement_version\":\"2026-11c\"}").then().statusCode(200);
        access("drill-public", "serve", "drill-stats", "2026-11c", "").then().body("allow", equalTo(true));
        access("drill-public", "serve", "drill-stats", "2026-11b", "").then().body("allow", equalTo(false));
        to("ana", id, "mitigated").then().statusCode(200);
        post("cy", "/v1/incidents/" + id + "/closure", "{\"root_cause\":\"many-to-many join on county codes\","
                + "\"preventive_fix\":{\"ref\":\"PR-77\",\"merged\":true},\"postmortem\":{\"scheduled_utc\":\""
                + Api.ahead(3 * 24 * 60) + "\"}}").then().statusCode(200);
        to("bo", id, "resolved").then().statusCode(200);

        JsonPath e = evidence(id);
        assertEquals(2, e.getList("quarantines").size());
        assertEquals("2026-11c", e.getString("quarantines.find { it.version_id == '2026-11' }.replacement_version"));
        assertEquals(false, e.getBoolean("quarantines.find { it.version_id == '2026-11' }.active"));
        assertTrue(e.getList("decisions.policy").containsAll(List.of("gate/access/quarantine/decision",
                "gate/access/release/decision")));
        assertEquals(List.of("declared", "mitigating", "mitigated", "mitigating", "mitigated", "resolved"), statuses(e));
    }

    @Test
    void sensitiveLocationExposure() {
        put("gs", "/v1/datasets/drill-nests", "{\"classification\":\"sensitive-location\",\"license\":\"ok\"}")
                .then().statusCode(201);
        put("gs", "/v1/subjects/drill-forensics", "{\"roles\":[\"analyst\"],\"need_to_know\":[]}").then().statusCode(201);
        // SEV0 until proven otherwise
        post("ana", "/v1/incidents", "{\"sev\":\"SEV1\",\"title\":\"nest sites in public tiles\",\"policy_flags\":[\"sensitive-location\"]}")
                .then().statusCode(409);
        String id = declare("ana", "{\"sev\":\"SEV0\",\"title\":\"nest sites in public tiles\",\"ic\":\"ana\",\"tech_lead\":\"bo\","
                + "\"scribe\":\"cy\",\"policy_flags\":[\"sensitive-location\",\"security\"],\"datasets_affected\":"
                + "[{\"dataset_id\":\"drill-nests\",\"version_id\":\"v3\"}],\"notes_redaction\":\"coordinates removed\"}");
        to("ana", id, "mitigating").then().statusCode(409).body("reasons", hasItems(
                "a governance steward must be assigned for SEV0/SEV1 incidents with governance risk",
                "a security lead must be assigned for incidents with a security flag"));
        patch("ana", "/v1/incidents/" + id, "{\"governance_steward\":\"gs\",\"security_lead\":\"sam\"}").then().statusCode(200);
        // contain: quarantine the exposed version, then mitigate
        post("bo", "/v1/datasets/drill-nests/versions/v3/quarantine", "{\"incident_id\":\"" + id
                + "\",\"reason\":\"exact coordinates in public tiles\"}").then().statusCode(201);
        to("ana", id, "mitigating").then().statusCode(200)
                .body("obligations.type", hasItems("status_update", "engage", "contain"));
        // forensics needs a look at the data: a time-boxed grant from the IC
        access("drill-forensics", "read", "drill-nests", "v2", "").then().body("allow", equalTo(false));
        Response g = post("ana", "/v1/breakglass", "{\"subject\":\"drill-forensics\",\"datasets\":[\"drill-nests\"],"
                + "\"incident_id\":\"" + id + "\",\"justification\":\"establish which sites leaked\",\"duration_minutes\":60}");
        g.then().statusCode(201);
        String grant = g.path("id");
        access("drill-forensics", "read", "drill-nests", "v2", ",\"breakglass_id\":\"" + grant + "\"")
                .then().body("allow", equalTo(true)).body("obligations.type", hasItems("audit_breakglass", "redact"));
        post("cy", "/v1/incidents/" + id + "/mitigation", Api.stableMitigation()).then().statusCode(200);
        to("ana", id, "mitigated").then().statusCode(200);
        post("cy", "/v1/incidents/" + id + "/closure", Api.trackedClosure()).then().statusCode(200);
        // closure waits for the grant to be revoked and the steward's review
        to("ana", id, "resolved").then().statusCode(409).body("reasons", hasItems(
                "not resolved: breakglass grant " + grant + " is still active",
                "not resolved: an approved governance review by the incident's governance steward is required"));
        post("sam", "/v1/breakglass/" + grant + "/revoke", "{\"reason\":\"forensics done\"}").then().statusCode(200);
        access("drill-forensics", "read", "drill-nests", "v2", ",\"breakglass_id\":\"" + grant + "\"")
                .then().body("allow", equalTo(false));
        to("ana", id, "resolved").then().statusCode(409).body("reasons", hasSize(1));
        post("gs", "/v1/incidents/" + id + "/governance-review", "{\"outcome\":\"approved\",\"notes\":\"exposure limited to v3 tiles; "
                + "partners notified\"}").then().statusCode(200);
        to("ana", id, "resolved").then().statusCode(200);

        JsonPath e = evidence(id);
        assertEquals(1, e.getList("breakglass_grants").size());
        assertEquals("sam", e.getString("breakglass_grants[0].revoked_by"));
        assertEquals("approved", e.getString("incident.governance_reviews[0].outcome"));
        assertTrue(e.getList("decisions.policy").containsAll(List.of("gate/access/breakglass/decision",
                "gate/incidents/review/decision", "gate/access/quarantine/decision")));
        assertTrue(e.getList("incident.timeline_utc.action").containsAll(List.of("granted", "breakglass used", "revoked",
                "governance review", "quarantined")));
        // the read on the grant is among the incident's decisions
        assertTrue(e.getList("decisions.policy").contains("gate/access/request/decision"));
    }

    /** The status after each change of status on the audit trail, starting with the declaration. */
    static List<String> statuses(JsonPath e) {
        List<Map<String, Object>> trail = e.getList("audit_trail");
        List<String> out = new java.util.ArrayList<>();
        for (Map<String, Object> entry : trail) {
            @SuppressWarnings("unchecked")
            Map<String, Object> change = (Map<String, Object>) entry.get("change");
            if (entry.get("action").equals("declared")) {
                out.add("declared");
            } else if (entry.get("action").equals("status changed")) {
                out.add((String) change.get("to"));
            }
        }
        return out;
    }
}
