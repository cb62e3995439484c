package dev.portcullis.gate.runbook;

import static dev.portcullis.gate.runbook.Api.ago;
import static dev.portcullis.gate.runbook.Api.as;
import static dev.portcullis.gate.runbook.Api.declare;
import static dev.portcullis.gate.runbook.Api.get;
import static dev.portcullis.gate.runbook.Api.patch;
import static dev.portcullis.gate.runbook.Api.post;
import static dev.portcullis.gate.runbook.Api.to;
import static dev.portcullis.gate.runbook.Api.transition;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Incidents over real HTTP with the released bundle: whole lifecycles walked by several
 * authenticated people, and every denial of the runbook's incident rules.
 */
@QuarkusTest
@TestProfile(RunbookTestProfile.class)
class IncidentsApiTest {

    static final String TEAM = "\"ic\":\"ana\",\"tech_lead\":\"bo\",\"scribe\":\"cy\"";

    static String outage() {
        return "{\"sev\":\"SEV2\",\"title\":\"search timing out\"," + TEAM
                + ",\"systems_affected\":[\"search\"],\"datasets_affected\":[],\"policy_flags\":[\"none\"],"
                + "\"external_user_impact\":\"searches fail\",\"current_status\":\"investigating\","
                + "\"hypotheses\":[\"index node down\"],\"next_steps\":[{\"owner\":\"bo\",\"task\":\"fail over\"}],"
                + "\"notes_redaction\":\"none\"}";
    }

    static void denied(Response r, String reason) {
        r.then().statusCode(409).body("allow", equalTo(false)).body("decision_id", notNullValue())
                .body("reasons", hasItem(reason));
    }

    static String status(String id) {
        return get("ana", "/v1/incidents/" + id).then().statusCode(200).extract().path("status");
    }

    @Test
    void declarationAnswersTheWholeRecord() {
        Response r = post("ana", "/v1/incidents", outage());
        r.then().statusCode(201)
                .body("incident_id", matchesPattern("INC-\\d{8}-\\d{3}"))
                .body("status", equalTo("declared"))
                .body("sev", equalTo("SEV2"))
                .body("opened_at_utc", notNullValue())
                .body("title", equalTo("search timing out"))
                .body("ic", equalTo("ana"))
                .body("comms", nullValue())
                .body("systems_affected", equalTo(List.of("search")))
                .body("next_steps[0].task", equalTo("fail over"))
                .body("timeline_utc[0].action", equalTo("declared"))
                .body("timeline_utc[0].actor", equalTo("ana"))
                .body("update_every_minutes", equalTo(60))
                .body("update_overdue", equalTo(false))
                .body("decision_id", notNullValue());
        String id = r.path("incident_id");
        String decision = r.path("decision_id");
        assertEquals(decision, r.path("timeline_utc[0].decision_id"));
        // the declaration's decision is recorded with the authenticated caller
        get("gs", "/v1/decisions/" + decision).then().statusCode(200)
                .body("caller", equalTo("ana")).body("policy", equalTo("gate/incidents/declare/decision"))
                .body("allow", equalTo(true));
        // ids are unique and numbered per day
        String next = declare("bo", outage());
        assertNotEquals(id, next);
        assertEquals(id.substring(0, 13), next.substring(0, 13));
        get("gs", "/v1/incidents/" + id).then().statusCode(200).body("incident_id", equalTo(id));
        get("portal", "/v1/incidents/" + id).then().statusCode(403);
        as("nobody").get("/v1/incidents/" + id).then().statusCode(401);
        get("ana", "/v1/incidents/INC-20000101-999").then().statusCode(404).body("code", equalTo("not_found"));
        get("gs", "/v1/incidents/INC-20000101-999/evidence").then().statusCode(404).body("code", equalTo("not_found"));
        get("portal", "/v1/incidents/" + id + "/evidence").then().statusCode(403);
    }

    @Test
    void aWholeOutageWalksTheLifecycle() {
        String id = declare("ana", outage());
        // another responder may not move it; nothing changes
        denied(to("dee", id, "mitigating"), "only the incident commander or tech lead of this incident may change its status");
        assertEquals("declared", status(id));
        // no skipping
        denied(to("ana", id, "resolved"), "transition declared -> resolved is not part of the lifecycle");
        denied(to("ana", id, "mitigated"), "transition declared -> mitigated is not part of the lifecycle");
        Response ok = to("bo", id, "mitigating");
        ok.then().statusCode(200).body("incident.status", equalTo("mitigating")).body("decision_id", notNullValue());
        get("gs", "/v1/decisions/" + ok.path("decision_id")).then().body("caller", equalTo("bo"));

        denied(to("ana", id, "mitigated"), "not mitigated: no mitigation evidence is recorded");
        post("cy", "/v1/incidents/" + id + "/mitigation", "{\"harm_stopped_at_utc\":\"" + ago(20)
                + "\",\"stable_since_utc\":\"" + ago(20) + "\",\"stable_window_minutes\":10,\"next_update_posted_at_utc\":\""
                + ago(5) + "\"}").then().statusCode(200);
        denied(to("ana", id, "mitigated"), "not mitigated: the stable window must be at least 30 minutes for SEV2");
        post("cy", "/v1/incidents/" + id + "/mitigation", "{\"harm_stopped_at_utc\":\"" + ago(20)
                + "\",\"stable_since_utc\":\"" + ago(20) + "\",\"stable_window_minutes\":30,\"next_update_posted_at_utc\":\""
                + ago(5) + "\"}").then().statusCode(200);
        denied(to("ana", id, "mitigated"), "not mitigated: monitoring has not yet confirmed stability for the whole window");
        post("cy", "/v1/incidents/" + id + "/mitigation", Api.stableMitigation()).then().statusCode(200)
                .body("incident.mitigation.stable_window_minutes", equalTo(60));
        to("ana", id, "mitigated").then().statusCode(200).body("incident.status", equalTo("mitigated"));

        // a regression goes back to mitigating, then forward again
        to("bo", id, "mitigating").then().statusCode(200);
        to("bo", id, "mitigated").then().statusCode(200);

        denied(to("ana", id, "resolved"), "not resolved: no closure evidence is recorded");
        post("cy", "/v1/incidents/" + id + "/closure", "{\"root_cause\":\"\",\"preventive_fix\":{\"ref\":\"PR-1\",\"merged\":false},"
                + "\"postmortem\":{\"scheduled_utc\":\"" + Api.ahead(60) + "\"}}").then().statusCode(200);
        Response r = to("ana", id, "resolved");
        denied(r, "not resolved: the root cause must be understood enough to prevent immediate recurrence");
        denied(r, "not resolved: a preventive fix must be merged or tracked with an owner and a due date");
        post("cy", "/v1/incidents/" + id + "/closure", Api.trackedClosure()).then().statusCode(200);
        to("ana", id, "resolved").then().statusCode(200).body("incident.status", equalTo("resolved"))
                .body("incident.update_every_minutes", nullValue()).body("incident.update_overdue", equalTo(false));

        // resolved is final: no transition, no edit, no evidence, no severity change
        denied(to("ana", id, "mitigating"), "transition resolved -> mitigating is not part of the lifecycle");
        denied(patch("ana", "/v1/incidents/" + id, "{\"current_status\":\"done\"}"),
                "a resolved incident is final; its record cannot change");
        denied(transition("ana", id, "{\"sev\":\"SEV3\"}"), "a resolved incident is final; its severity cannot change");

        // the timeline shows the denied attempts next to the changes, each with its decision
        List<Map<String, Object>> timeline = get("ana", "/v1/incidents/" + id).then().extract().path("timeline_utc");
        assertEquals("declared", timeline.get(0).get("action"));
        assertEquals("denied: status declared -> mitigating", timeline.get(1).get("action"));
        assertEquals("dee", timeline.get(1).get("actor"));
        timeline.forEach(e -> assertNotEquals(null, e.get("decision_id"), e.toString()));
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;

    @Test
    void theTrailsAreAppendOnly() throws Exception {
        String id = declare("ana", outage());
        post("cy", "/v1/incidents/" + id + "/updates", "{\"message\":\"investigating\"}").then().statusCode(200);
        for (String sql : List.of("UPDATE audit_entry SET actor = 'mallory'", "DELETE FROM audit_entry",
                "UPDATE status_update SET message = 'nothing happened'", "DELETE FROM status_update")) {
            try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement()) {
                org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class, () -> st.executeUpdate(sql), sql);
            }
        }
        get("ana", "/v1/incidents/" + id).then().body("timeline_utc.actor", hasItem("ana"))
                .body("timeline_utc.actor", not(hasItem("mallory")));
    }

    @Test
    void theBodyCannotSpeakForTheActor() {
        String id = declare("ana", outage());
        // a body naming an actor or roles is refused, never believed
        post("dee", "/v1/incidents/" + id + "/transitions", "{\"to\":\"mitigating\",\"actor\":{\"id\":\"ana\",\"roles\":[\"ic\"]}}")
                .then().statusCode(400).body("code", equalTo("invalid_request")).body("message", containsString("actor"));
        post("dee", "/v1/incidents", "{\"sev\":\"SEV3\",\"title\":\"x\",\"policy_flags\":[\"none\"],\"actor\":\"ana\"}")
                .then().statusCode(400).body("code", equalTo("invalid_request"));
        assertEquals("declared", status(id));
        // a client token is not a responder
        post("portal", "/v1/incidents", outage()).then().statusCode(403);
    }

    @Test
    void gatedFieldsCannotBePatched() {
        String id = declare("ana", outage());
        for (String field : List.of("\"status\":\"resolved\"", "\"sev\":\"SEV3\"", "\"incident_id\":\"INC-1\"",
                "\"opened_at_utc\":\"2026-01-01T00:00:00Z\"", "\"governance_review\":{\"outcome\":\"approved\"}",
                "\"governance_reviews\":[]", "\"mitigation\":{}", "\"closure\":{}", "\"timeline_utc\":[]")) {
            patch("ana", "/v1/incidents/" + id, "{" + field + "}").then().statusCode(400)
                    .body("code", equalTo("gated_field"));
        }
        post("ana", "/v1/incidents", "{\"sev\":\"SEV3\",\"title\":\"t\",\"policy_flags\":[\"none\"],\"status\":\"mitigated\"}")
                .then().statusCode(400).body("code", equalTo("gated_field"));
        patch("ana", "/v1/incidents/" + id, "{\"hypotheses\":\"not a list\"}").then().statusCode(400)
                .body("code", equalTo("invalid_request"));
        patch("ana", "/v1/incidents/" + id, "{\"colour\":\"red\"}").then().statusCode(400);
        assertEquals("declared", status(id));
        get("ana", "/v1/incidents/" + id).then().body("sev", equalTo("SEV2"));
    }

    @Test
    void hostileJsonIsRefused() {
        String id = declare("ana", outage());
        for (String body : List.of("{\"to\":\"mitigating\",\"to\":\"resolved\"}", "[\"to\"]", "{\"to\":\"mitigating\"",
                "{\"to\":\"mitigating\"} {}", "")) {
            int s = transition("ana", id, body).then().extract().statusCode();
            assertEquals(400, s, body);
        }
        as("ana").body(new byte[] {'{', '"', 't', 'o', '"', ':', '"', (byte) 0xC3, '"', '}'})
                .post("/v1/incidents/" + id + "/transitions").then().statusCode(400);
        assertEquals("declared", status(id));
    }

    @Test
    void rolesMustBeAssignedByTheIcBeforeLeavingDeclared() {
        String id = declare("dee", "{\"sev\":\"SEV3\",\"title\":\"flaky job\",\"policy_flags\":[\"none\"],\"ic\":\"ana\"}");
        Response r = to("ana", id, "mitigating");
        denied(r, "role tech_lead must be assigned");
        denied(r, "role scribe must be assigned");
        // only the IC assigns roles
        denied(patch("dee", "/v1/incidents/" + id, "{\"tech_lead\":\"dee\",\"scribe\":\"cy\"}"),
                "only the incident commander may assign scribe, tech_lead");
        patch("ana", "/v1/incidents/" + id, "{\"tech_lead\":\"bo\",\"scribe\":\"cy\",\"current_status\":\"triage\"}")
                .then().statusCode(200).body("tech_lead", equalTo("bo")).body("scribe", equalTo("cy"))
                .body("current_status", equalTo("triage"));
        // the role change is on the timeline with what changed
        get("cy", "/v1/incidents/" + id).then()
                .body("timeline_utc.action", hasItem("roles changed"))
                .body("timeline_utc.find { it.action == 'roles changed' }.change.tech_lead.to", equalTo("bo"))
                .body("timeline_utc.find { it.action == 'roles changed' }.change.tech_lead.from", nullValue());
        to("bo", id, "mitigating").then().statusCode(200);
        // a merge patch null removes the field; an unassigned scribe blocks the next move
        patch("ana", "/v1/incidents/" + id, "{\"scribe\":null}").then().statusCode(200).body("scribe", nullValue());
        denied(to("ana", id, "mitigated"), "role scribe must be assigned");
        // an unowned incident's IC role may be claimed by a responder
        String unowned = declare("dee", "{\"sev\":\"SEV3\",\"title\":\"unowned\",\"policy_flags\":[\"none\"]}");
        patch("dee", "/v1/incidents/" + unowned, "{\"ic\":\"dee\"}").then().statusCode(200).body("ic", equalTo("dee"));
        denied(patch("cy", "/v1/incidents/" + unowned, "{\"ic\":\"cy\"}"), "only the incident commander may assign ic");
    }

    @Test
    void sev0FlagsForceSev0UnlessEvidenceIsGiven() {
        denied(post("ana", "/v1/incidents", "{\"sev\":\"SEV1\",\"title\":\"coordinates in tiles\",\"policy_flags\":[\"sensitive-location\"]}"),
                "a sensitive-location incident must be declared SEV0");
        denied(post("ana", "/v1/incidents", "{\"sev\":\"SEV2\",\"title\":\"token bypass\",\"policy_flags\":[\"policy-bypass\"]}"),
                "a policy-bypass incident must be declared SEV0");
        denied(post("ana", "/v1/incidents", "{\"sev\":\"SEV5\",\"title\":\"x\",\"policy_flags\":[\"none\"]}"),
                "severity must be one of SEV0, SEV1, SEV2, SEV3");
        String id = declare("ana", "{\"sev\":\"SEV0\",\"title\":\"restricted stories served\"," + TEAM
                + ",\"policy_flags\":[\"culturally-restricted\"]}");
        denied(to("ana", id, "mitigating"), "a governance steward must be assigned for SEV0/SEV1 incidents with governance risk");
        patch("ana", "/v1/incidents/" + id, "{\"governance_steward\":\"gs\"}").then().statusCode(200);
        to("ana", id, "mitigating").then().statusCode(200).body("incident.update_every_minutes", equalTo(15));
        // downgrade needs evidence; only IC/TL re-severitize
        denied(transition("ana", id, "{\"sev\":\"SEV2\"}"),
                "a culturally-restricted incident stays SEV0 unless an evidence_ref for the downgrade is given");
        denied(transition("cy", id, "{\"sev\":\"SEV2\",\"evidence_ref\":\"audit-9\"}"),
                "only the incident commander or tech lead of this incident may change its severity");
        transition("bo", id, "{\"sev\":\"SEV2\",\"evidence_ref\":\"audit-9\",\"reason\":\"only internal users saw it\"}")
                .then().statusCode(200).body("incident.sev", equalTo("SEV2")).body("incident.sev_evidence_ref", equalTo("audit-9"))
                .body("incident.update_every_minutes", equalTo(60));
        transition("ana", id, "{\"to\":\"mitigating\",\"sev\":\"SEV1\"}").then().statusCode(400);

        // a flag raised later by an edit forces SEV0 for the next move unless evidence was recorded
        String later = declare("ana", outage());
        patch("ana", "/v1/incidents/" + later, "{\"policy_flags\":[\"sensitive-location\"],\"governance_steward\":\"gs\"}")
                .then().statusCode(200).body("flags_ever_raised", hasItem("sensitive-location"));
        denied(to("ana", later, "mitigating"),
                "a sensitive-location incident must be SEV0 unless evidence for a lower severity is recorded");
        // a security flag needs a security lead
        String sec = declare("ana", "{\"sev\":\"SEV2\",\"title\":\"odd logins\"," + TEAM + ",\"policy_flags\":[\"security\"]}");
        denied(to("ana", sec, "mitigating"), "a security lead must be assigned for incidents with a security flag");
        patch("ana", "/v1/incidents/" + sec, "{\"security_lead\":\"sam\"}").then().statusCode(200);
        to("ana", sec, "mitigating").then().statusCode(200);
    }

    @Test
    void closureOfAGovernedIncidentNeedsItsStewardsApproval() {
        String id = declare("ana", "{\"sev\":\"SEV1\",\"title\":\"licence unclear\"," + TEAM
                + ",\"governance_steward\":\"gs\",\"policy_flags\":[\"licensing\"]}");
        to("ana", id, "mitigating").then().statusCode(200);
        post("cy", "/v1/incidents/" + id + "/mitigation", Api.stableMitigation()).then().statusCode(200);
        to("ana", id, "mitigated").then().statusCode(200);
        post("cy", "/v1/incidents/" + id + "/closure", Api.trackedClosure()).then().statusCode(200);
        // the flag was cleared later, the review is still due
        patch("ana", "/v1/incidents/" + id, "{\"policy_flags\":[\"none\"]}").then().statusCode(200);
        String need = "not resolved: an approved governance review by the incident's governance steward is required";
        denied(to("ana", id, "resolved"), need);
        // a responder is not a steward; another steward is not this incident's steward
        post("ana", "/v1/incidents/" + id + "/governance-review", "{\"outcome\":\"approved\"}").then().statusCode(403);
        denied(post("gs2", "/v1/incidents/" + id + "/governance-review", "{\"outcome\":\"approved\"}"),
                "only the incident's governance steward may record its governance review");
        denied(post("gs", "/v1/incidents/" + id + "/governance-review", "{\"outcome\":\"fine\"}"),
                "outcome must be approved or changes_required");
        post("gs", "/v1/incidents/" + id + "/governance-review", "{\"outcome\":\"changes_required\",\"notes\":\"add the licence check\"}")
                .then().statusCode(200).body("incident.governance_reviews[0].outcome", equalTo("changes_required"));
        denied(to("ana", id, "resolved"), need);
        post("gs", "/v1/incidents/" + id + "/governance-review", "{\"outcome\":\"approved\",\"notes\":\"licence confirmed\"}")
                .then().statusCode(200);
        to("ana", id, "resolved").then().statusCode(200);
    }

    @Test
    void updatesFollowTheCadenceTheDecisionObliged() {
        String id = declare("ana", outage());
        get("ana", "/v1/incidents/" + id).then().body("last_update_utc", nullValue()).body("update_overdue", equalTo(false));
        post("cy", "/v1/incidents/" + id + "/updates", "{\"message\":\"Status: declared. Impact: search. Next update 60 min.\"}")
                .then().statusCode(200).body("incident.last_update_utc", notNullValue())
                .body("incident.update_overdue", equalTo(false));
        post("cy", "/v1/incidents/" + id + "/updates", "{\"message\":\" \"}").then().statusCode(400);
        post("cy", "/v1/incidents/" + id + "/updates", "{\"text\":\"x\"}").then().statusCode(400);
        post("portal", "/v1/incidents/" + id + "/updates", "{\"message\":\"x\"}").then().statusCode(403);
        String sev3 = declare("ana", "{\"sev\":\"SEV3\",\"title\":\"minor\",\"policy_flags\":[\"none\"]}");
        get("ana", "/v1/incidents/" + sev3).then().body("update_every_minutes", nullValue()).body("update_overdue", equalTo(false));
    }

    @Test
    void listsFilterByStatusSeverityAndOpenness() {
        String open = declare("ana", outage());
        String done = declare("ana", "{\"sev\":\"SEV3\",\"title\":\"blip\"," + TEAM + ",\"policy_flags\":[\"none\"]}");
        to("ana", done, "mitigating").then().statusCode(200);
        post("cy", "/v1/incidents/" + done + "/mitigation", Api.stableMitigation()).then().statusCode(200);
        to("ana", done, "mitigated").then().statusCode(200);
        post("cy", "/v1/incidents/" + done + "/closure", Api.trackedClosure()).then().statusCode(200);
        to("ana", done, "resolved").then().statusCode(200);
        get("gs", "/v1/incidents?open=true").then().statusCode(200)
                .body("items.incident_id", hasItem(open)).body("items.incident_id", not(hasItem(done)))
                .body("items.status", everyItem(not(equalTo("resolved"))));
        get("gs", "/v1/incidents?status=resolved&sev=SEV3").then().statusCode(200)
                .body("items.incident_id", hasItem(done)).body("items.sev", everyItem(equalTo("SEV3")));
        get("gs", "/v1/incidents?status=closed").then().statusCode(400).body("code", equalTo("invalid_request"));
        get("gs", "/v1/incidents?sev=P1").then().statusCode(400);
        get("gs", "/v1/incidents?open=yes").then().statusCode(400);
    }
}
