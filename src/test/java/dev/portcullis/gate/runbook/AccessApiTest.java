package dev.portcullis.gate.runbook;

import static dev.portcullis.gate.runbook.Api.declare;
import static dev.portcullis.gate.runbook.Api.get;
import static dev.portcullis.gate.runbook.Api.post;
import static dev.portcullis.gate.runbook.Api.put;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Datasets, subjects, quarantine, breakglass and data access over real HTTP: the client names who,
 * what and which version; every fact the policy decides on comes from the gate's records.
 */
@QuarkusTest
@TestProfile(RunbookTestProfile.class)
class AccessApiTest {

    static Response access(String subject, String action, String dataset, String version, String extra) {
        return post("portal", "/v1/access", "{\"subject\":\"" + subject + "\",\"action\":\"" + action + "\",\"dataset_id\":\""
                + dataset + "\"" + (version == null ? "" : ",\"version_id\":\"" + version + "\"") + extra + "}");
    }

    static void allows(Response r) {
        r.then().statusCode(200).body("allow", equalTo(true)).body("decision_id", notNullValue())
                .body("bundle.name", equalTo("portcullis")).body("error", nullValue());
    }

    static void denies(Response r, String reason) {
        r.then().statusCode(200).body("allow", equalTo(false)).body("reasons", hasItem(reason));
    }

    static void dataset(String id, String classification, String license) {
        put("gs", "/v1/datasets/" + id, "{\"classification\":\"" + classification + "\",\"license\":\"" + license
                + "\",\"labels\":[\"test\"],\"owner\":\"data-team\"}").then().statusCode(201);
    }

    static void subject(String id, String roles, String needToKnow) {
        put("gs", "/v1/subjects/" + id, "{\"roles\":" + roles + ",\"need_to_know\":" + needToKnow + "}").then().statusCode(201);
    }

    @Test
    void registriesAreKeptByStewards() {
        put("gs", "/v1/datasets/reg-1", "{\"classification\":\"public\",\"license\":\"ok\"}").then().statusCode(201)
                .body("labels", hasSize(0));
        put("gs", "/v1/datasets/reg-1", "{\"classification\":\"internal\",\"license\":\"uncertain\",\"owner\":\"o\"}")
                .then().statusCode(200).body("classification", equalTo("internal"));
        get("ana", "/v1/datasets/reg-1").then().statusCode(200).body("license", equalTo("uncertain"));
        put("ana", "/v1/datasets/reg-1", "{\"classification\":\"public\",\"license\":\"ok\"}").then().statusCode(403);
        put("gs", "/v1/datasets/reg-2", "{\"classification\":\"secret\",\"license\":\"ok\"}").then().statusCode(400)
                .body("code", equalTo("invalid_request"));
        put("gs", "/v1/datasets/reg-2", "{\"classification\":\"public\"}").then().statusCode(400);
        put("gs", "/v1/datasets/bad%20id", "{\"classification\":\"public\",\"license\":\"ok\"}").then().statusCode(400);
        put("gs", "/v1/subjects/reg-s", "{\"roles\":[\"analyst\"],\"need_to_know\":[]}").then().statusCode(201);
        put("ana", "/v1/subjects/reg-s", "{\"roles\":[\"steward\"]}").then().statusCode(403);
        put("portal", "/v1/subjects/reg-s", "{\"roles\":[\"steward\"]}").then().statusCode(403);
        get("gs", "/v1/subjects/reg-s").then().body("roles", equalTo(java.util.List.of("analyst")));
        get("gs", "/v1/subjects/nobody").then().statusCode(404);
    }

    @Test
    void accessIsDecidedOnTheRecordsFacts() {
        dataset("acc-public", "public", "ok");
        dataset("acc-internal", "internal", "ok");
        dataset("acc-unsure", "public", "uncertain");
        dataset("acc-breach", "public", "breach");
        dataset("acc-sites", "sensitive-location", "ok");
        dataset("acc-lore", "culturally-restricted", "ok");
        subject("acc-analyst", "[\"analyst\"]", "[]");
        subject("acc-partner", "[\"partner\"]", "[]");
        subject("acc-cleared", "[\"analyst\"]", "[\"acc-sites\",\"acc-lore\"]");
        subject("acc-steward", "[\"steward\"]", "[\"acc-sites\"]");

        Response ok = access("acc-analyst", "read", "acc-public", "v1", "");
        allows(ok);
        get("gs", "/v1/decisions/" + ok.path("decision_id")).then().body("caller", equalTo("portal"))
                .body("policy", equalTo("gate/access/request/decision"));
        // unknown subject, unknown dataset, missing version: deny
        denies(access("ghost", "read", "acc-public", "v1", ""), "unknown subject");
        denies(access("acc-analyst", "read", "nowhere", "v1", ""), "unknown dataset");
        denies(access("acc-analyst", "read", "acc-public", null, ""), "the request names no dataset version");
        denies(access("acc-analyst", "delete", "acc-public", "v1", ""), "unknown action");
        // facts in the body are not facts: the request shape is closed
        post("portal", "/v1/access", "{\"subject\":\"acc-analyst\",\"action\":\"read\",\"dataset_id\":\"acc-sites\","
                + "\"version_id\":\"v1\",\"need_to_know\":[\"acc-sites\"]}").then().statusCode(400);
        post("ana", "/v1/access", "{\"subject\":\"acc-analyst\",\"action\":\"read\",\"dataset_id\":\"acc-public\","
                + "\"version_id\":\"v1\"}").then().statusCode(403);

        denies(access("acc-partner", "read", "acc-internal", "v1", ""), "internal data requires an internal role");
        allows(access("acc-analyst", "read", "acc-internal", "v1", ""));
        // licence: uncertain/breach blocks publish, export and serve, not an internal read
        for (String a : new String[] {"export", "publish", "serve"}) {
            denies(access("acc-analyst", a, "acc-unsure", "v1", ""), "licence uncertain blocks " + a);
            denies(access("acc-analyst", a, "acc-breach", "v1", ""), "licence breach blocks " + a);
        }
        allows(access("acc-analyst", "read", "acc-unsure", "v1", ""));
        // sensitive data: need-to-know, redaction on reads, the steward to leave
        denies(access("acc-analyst", "read", "acc-sites", "v1", ""),
                "sensitive-location data requires need-to-know or a valid breakglass grant");
        access("acc-cleared", "read", "acc-sites", "v1", "").then().body("allow", equalTo(true))
                .body("obligations", hasItem(Map.of("type", "redact", "fields", java.util.List.of("exact_coordinates"))));
        access("acc-cleared", "read", "acc-lore", "v1", "").then().body("allow", equalTo(true))
                .body("obligations[0].type", equalTo("redact"));
        denies(access("acc-cleared", "export", "acc-sites", "v1", ""),
                "export of sensitive-location data requires the governance steward");
        allows(access("acc-steward", "publish", "acc-sites", "v1", ""));
        // a steward's reclassification applies to the very next decision
        put("gs", "/v1/datasets/acc-public", "{\"classification\":\"public\",\"license\":\"breach\"}").then().statusCode(200);
        denies(access("acc-analyst", "serve", "acc-public", "v1", ""), "licence breach blocks serve");
    }

    @Test
    void quarantineAppliesToTheNextDecisionAndReleaseLiftsIt() {
        dataset("q-parcels", "public", "ok");
        subject("q-public", "[\"analyst\"]", "[]");
        subject("bo", "[\"engineer\"]", "[]");
        String inc = declare("ana", "{\"sev\":\"SEV2\",\"title\":\"parcel areas wrong\",\"ic\":\"ana\",\"tech_lead\":\"bo\","
                + "\"scribe\":\"cy\",\"policy_flags\":[\"none\"],\"datasets_affected\":[{\"dataset_id\":\"q-parcels\",\"version_id\":\"v7\"}]}");
        allows(access("q-public", "serve", "q-parcels", "v7", ""));

        // gated: a linked open incident, a reason, a known dataset, a responder
        String path = "/v1/datasets/q-parcels/versions/v7/quarantine";
        post("ana", path, "{\"incident_id\":\"INC-20000101-001\",\"reason\":\"x\"}").then().statusCode(409)
                .body("reasons", hasItem("a quarantine must be linked to a known incident"));
        post("ana", path, "{\"incident_id\":\"" + inc + "\"}").then().statusCode(409)
                .body("reasons", hasItem("a quarantine needs a reason"));
        post("ana", "/v1/datasets/q-nothing/versions/v7/quarantine", "{\"incident_id\":\"" + inc + "\",\"reason\":\"x\"}")
                .then().statusCode(409).body("reasons", hasItem("unknown dataset"));
        post("gs", path, "{\"incident_id\":\"" + inc + "\",\"reason\":\"x\"}").then().statusCode(403);
        Response q = post("dee", path, "{\"incident_id\":\"" + inc + "\",\"reason\":\"areas off by 10x\"}");
        q.then().statusCode(201).body("quarantine.active", equalTo(true)).body("decision_id", notNullValue());
        post("dee", path, "{\"incident_id\":\"" + inc + "\",\"reason\":\"again\"}").then().statusCode(409)
                .body("reasons", hasItem("this incident already quarantines this version"));

        for (String a : new String[] {"serve", "export", "publish"}) {
            denies(access("q-public", a, "q-parcels", "v7", ""), "dataset version q-parcels/v7 is quarantined by " + inc);
        }
        denies(access("q-public", "read", "q-parcels", "v7", ""), "dataset version q-parcels/v7 is quarantined by " + inc);
        // the incident's tech lead may still read it to investigate; other versions are unaffected
        allows(access("bo", "read", "q-parcels", "v7", ""));
        denies(access("bo", "serve", "q-parcels", "v7", ""), "dataset version q-parcels/v7 is quarantined by " + inc);
        allows(access("q-public", "serve", "q-parcels", "v8", ""));

        // the quarantine is on the incident's timeline with its decision
        get("cy", "/v1/incidents/" + inc).then().body("timeline_utc.action", hasItem("quarantined"));

        String release = "/v1/datasets/q-parcels/versions/v7/release";
        post("ana", release, "{\"reason\":\"fixed\"}").then().statusCode(403);
        post("gs", release, "{\"reason\":\"\"}").then().statusCode(409).body("reasons", hasItem("a release needs a reason"));
        post("gs", release, "{\"reason\":\"v8 corrects it\",\"replacement_version\":\"v7\"}").then().statusCode(409)
                .body("reasons", hasItem("the replacement must be another version"));
        post("gs", "/v1/datasets/q-parcels/versions/v9/release", "{\"reason\":\"r\"}").then().statusCode(409)
                .body("reasons", hasItem("the version is not quarantined"));
        post("gs", release, "{\"reason\":\"v8 corrects the areas\",\"replacement_version\":\"v8\"}").then().statusCode(200)
                .body("released", hasSize(1)).body("released[0].active", equalTo(false))
                .body("released[0].replacement_version", equalTo("v8"));
        allows(access("q-public", "serve", "q-parcels", "v7", ""));
        get("cy", "/v1/incidents/" + inc).then().body("timeline_utc.action", hasItem("released"));
    }

    @Test
    void breakglassIsGrantedByTheIcOrAStewardAndCountsOnlyWhileValid() {
        dataset("bg-sites", "sensitive-location", "ok");
        subject("bg-analyst", "[\"analyst\"]", "[]");
        subject("ana", "[\"responder\"]", "[]");
        String inc = declare("ana", "{\"sev\":\"SEV0\",\"title\":\"site layer leak\",\"ic\":\"ana\",\"tech_lead\":\"bo\","
                + "\"scribe\":\"cy\",\"governance_steward\":\"gs\",\"policy_flags\":[\"sensitive-location\"]}");
        String body = "{\"subject\":\"bg-analyst\",\"datasets\":[\"bg-sites\"],\"incident_id\":\"" + inc
                + "\",\"justification\":\"verify what leaked\",\"duration_minutes\":";
        post("bo", "/v1/breakglass", body + "30}").then().statusCode(409)
                .body("reasons", hasItem("only the incident commander of this incident or a steward may grant breakglass"));
        post("ana", "/v1/breakglass", body + "241}").then().statusCode(409)
                .body("reasons", hasItem("duration_minutes must be between 1 and 240"));
        post("ana", "/v1/breakglass", body.replace("verify what leaked", " ") + "30}").then().statusCode(409)
                .body("reasons", hasItem("a breakglass grant needs a justification"));
        post("ana", "/v1/breakglass", body.replace("bg-analyst", "ana") + "30}").then().statusCode(409)
                .body("reasons", hasItem("nobody may grant breakglass to themselves"));
        post("ana", "/v1/breakglass", body.replace(inc, "INC-20000101-001") + "30}").then().statusCode(409)
                .body("reasons", hasItem("a breakglass grant must be linked to a known incident"));
        post("ana", "/v1/breakglass", body + "\"30\"}").then().statusCode(400);
        post("portal", "/v1/breakglass", body + "30}").then().statusCode(403);

        denies(access("bg-analyst", "read", "bg-sites", "v1", ""),
                "sensitive-location data requires need-to-know or a valid breakglass grant");
        Response g = post("ana", "/v1/breakglass", body + "30}");
        g.then().statusCode(201).body("id", notNullValue()).body("expires_at_utc", notNullValue())
                .body("granted_by", equalTo("ana")).body("decision_id", notNullValue());
        String grant = g.path("id");
        post("gs", "/v1/breakglass", body + "60}").then().statusCode(201);

        String withGrant = ",\"breakglass_id\":\"" + grant + "\"";
        access("bg-analyst", "read", "bg-sites", "v1", withGrant).then().body("allow", equalTo(true))
                .body("obligations.type", hasItem("audit_breakglass"));
        // a grant is for its subject only, and never lifts the steward rule for export
        subject("bg-other", "[\"analyst\"]", "[]");
        denies(access("bg-other", "read", "bg-sites", "v1", withGrant),
                "the breakglass grant is not valid for this subject and dataset");
        denies(access("bg-analyst", "export", "bg-sites", "v1", withGrant),
                "export of sensitive-location data requires the governance steward");
        denies(access("bg-analyst", "read", "bg-sites", "v1", ",\"breakglass_id\":\"fabricated\""),
                "the breakglass grant is not valid for this subject and dataset");

        get("gs", "/v1/breakglass?incident_id=" + inc + "&active=true").then().statusCode(200).body("items", hasSize(2));
        post("cy", "/v1/breakglass/" + grant + "/revoke", "{\"reason\":\"done\"}").then().statusCode(200)
                .body("revoked_by", equalTo("cy")).body("revoked_at_utc", notNullValue());
        // revoked: counts for nothing on the very next decision
        denies(access("bg-analyst", "read", "bg-sites", "v1", withGrant),
                "the breakglass grant is not valid for this subject and dataset");
        get("gs", "/v1/breakglass?incident_id=" + inc + "&active=true").then().body("items.id", not(hasItem(grant)));
        get("gs", "/v1/breakglass?incident_id=" + inc + "&active=false").then().body("items.id", hasItem(grant));
        post("cy", "/v1/breakglass/nope/revoke", "{}").then().statusCode(404);
        post("portal", "/v1/breakglass/" + grant + "/revoke", "{}").then().statusCode(403);
    }
}
