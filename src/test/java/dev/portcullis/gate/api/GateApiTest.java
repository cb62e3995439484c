package dev.portcullis.gate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The decision and data APIs over real HTTP, with real bundles, real Wasm and the real database. */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class GateApiTest {

    static final String CLIENT = "Bearer dev-client";

    static Response decide(String policy, String input) {
        return given().header("Authorization", CLIENT).contentType(ContentType.JSON)
                .body("{\"policy\":\"" + policy + "\",\"input\":" + input + "}")
                .post("/v1/decisions");
    }

    @Test
    void allowCarriesReasonsObligationsAndBundle() {
        Response r = decide("api/decision", "{\"user\":\"admin\"}");
        r.then().statusCode(200)
                .body("allow", equalTo(true))
                .body("reasons", hasItem("user admin"))
                .body("obligations[0].log", equalTo("admin"))
                .body("bundle.name", equalTo("gate"))
                .body("bundle.revision", equalTo("1"))
                .body("bundle.sha256", notNullValue())
                .body("error", nullValue());
        String id = r.path("decision_id");
        given().header("Authorization", "Bearer dev-steward").get("/v1/decisions/" + id).then().statusCode(200)
                .body("allow", equalTo(true))
                .body("caller", equalTo("dev-client"))
                .body("policy", equalTo("api/decision"))
                .body("bundleRevision", equalTo("1"))
                .body("hash", notNullValue());
    }

    @Test
    void policyDenyIsADenyWithoutError() {
        decide("api/decision", "{\"user\":\"bob\"}").then().statusCode(200)
                .body("allow", equalTo(false)).body("error", nullValue());
    }

    @Test
    void undefinedDecisionDenies() {
        decide("api/undefined", "{}").then().statusCode(200)
                .body("allow", equalTo(false)).body("error.code", equalTo("undefined_decision"));
    }

    @Test
    void decisionWithoutBooleanAllowDenies() {
        decide("api/no_allow", "{}").then().statusCode(200)
                .body("allow", equalTo(false)).body("error.code", equalTo("invalid_decision"));
    }

    @Test
    void conflictAbortDenies() {
        decide("api/conflict", "{\"x\":true}").then().statusCode(200)
                .body("allow", equalTo(false)).body("error.code", equalTo("evaluation_error"))
                .body("error.message", containsString("conflict"));
    }

    @Test
    void slowPolicyTimesOutAndDenies() {
        decide("api/slow", "{}").then().statusCode(200)
                .body("allow", equalTo(false)).body("error.code", equalTo("timeout"));
        // the service stays healthy and keeps answering
        decide("api/decision", "{\"user\":\"admin\"}").then().statusCode(200).body("allow", equalTo(true));
    }

    @Test
    void unknownPolicyDenies() {
        decide("api/nope", "{}").then().statusCode(200)
                .body("allow", equalTo(false)).body("error.code", equalTo("unknown_policy"));
    }

    @Test
    void oversizedInputIs413AndRecorded() {
        String big = "\"" + "x".repeat(70_000) + "\"";
        Response r = decide("api/decision", "{\"blob\":" + big + "}");
        r.then().statusCode(413).body("allow", equalTo(false)).body("error.code", equalTo("input_too_large"));
        given().header("Authorization", "Bearer dev-steward").get("/v1/decisions/" + r.path("decision_id"))
                .then().statusCode(200).body("errorCode", equalTo("input_too_large")).body("allow", equalTo(false));
    }

    @Test
    void deeplyNestedInputIs400() {
        String deep = "[".repeat(100) + "]".repeat(100);
        decide("api/decision", deep).then().statusCode(400)
                .body("allow", equalTo(false)).body("error.code", equalTo("input_too_deep"));
    }

    @Test
    void malformedJsonIs400() {
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"policy\": \"api/decision\", ")
                .post("/v1/decisions").then().statusCode(400)
                .body("allow", equalTo(false)).body("error.code", equalTo("invalid_input"));
    }

    @Test
    void missingPolicyIs400() {
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"input\": {}}")
                .post("/v1/decisions").then().statusCode(400).body("error.code", equalTo("invalid_input"));
    }

    @Test
    void missingOrUnknownTokenIs401WithJson() {
        given().contentType(ContentType.JSON).body("{\"policy\":\"api/decision\",\"input\":{}}")
                .post("/v1/decisions").then().statusCode(401).contentType(ContentType.JSON)
                .body("code", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not-a-token").contentType(ContentType.JSON)
                .body("{\"policy\":\"api/decision\",\"input\":{}}")
                .post("/v1/decisions").then().statusCode(401).body("code", equalTo("unauthorized"));
    }

    @Test
    void wrongRoleIs403WithJson() {
        given().header("Authorization", "Bearer dev-steward").contentType(ContentType.JSON)
                .body("{\"policy\":\"api/decision\",\"input\":{}}")
                .post("/v1/decisions").then().statusCode(403).body("code", equalTo("forbidden"));
        given().header("Authorization", CLIENT).get("/v1/decisions/verify").then().statusCode(403);
        given().header("Authorization", CLIENT).contentType("application/gzip").body(new byte[] {1, 2, 3})
                .post("/v1/bundles").then().statusCode(403);
    }

    @Test
    void adminHasEveryRole() {
        given().header("Authorization", "Bearer dev-admin").contentType(ContentType.JSON)
                .body("{\"policy\":\"api/decision\",\"input\":{\"user\":\"admin\"}}")
                .post("/v1/decisions").then().statusCode(200).body("allow", equalTo(true));
    }

    @Test
    void dataApiIsOpaCompatible() {
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"input\":{\"user\":\"eve\"}}")
                .post("/v1/data/api/doc").then().statusCode(200)
                .body("result.who", equalTo("eve")).body("result.allow", equalTo(false))
                .body("decision_id", notNullValue()).body("$", not(hasKey("provenance")));
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"input\":{}}")
                .post("/v1/data/api/undefined").then().statusCode(200)
                .body("$", not(hasKey("result"))).body("decision_id", notNullValue());
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{}")
                .queryParam("provenance", true)
                .post("/v1/data/api/version").then().statusCode(200)
                .body("result", equalTo(1)).body("provenance.bundles.gate.revision", equalTo("1"));
    }

    @Test
    void dataApiErrorsAreJson() {
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"input\":{\"x\":true}}")
                .post("/v1/data/api/conflict").then().statusCode(500).body("code", equalTo("evaluation_error"));
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{}")
                .post("/v1/data/api/missing").then().statusCode(404).body("code", equalTo("unknown_policy"));
    }

    @Test
    void decisionsCanBeListedAndTheChainVerifies() {
        for (int i = 0; i < 3; i++) {
            decide("api/decision", "{\"user\":\"list-" + i + "\"}").then().statusCode(200);
        }
        Response page = given().header("Authorization", "Bearer dev-responder")
                .queryParam("policy", "api/decision").queryParam("allow", false).queryParam("limit", 2)
                .get("/v1/decisions");
        page.then().statusCode(200).body("items.size()", equalTo(2)).body("nextCursor", notNullValue());
        for (Object allow : page.jsonPath().getList("items.allow")) {
            assertEquals(Boolean.FALSE, allow);
        }
        given().header("Authorization", "Bearer dev-steward").get("/v1/decisions/verify").then().statusCode(200)
                .body("ok", equalTo(true));
        given().header("Authorization", "Bearer dev-steward").get("/v1/decisions/not-a-uuid").then().statusCode(400);
        given().header("Authorization", "Bearer dev-steward")
                .get("/v1/decisions/00000000-0000-0000-0000-000000000000").then().statusCode(404);
    }

    @Test
    void healthAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("active-bundle"));
        decide("api/decision", "{\"user\":\"admin\"}").then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("portcullis_decisions_total{"), metrics);
        assertTrue(metrics.contains("outcome=\"allow\""), metrics);
        assertTrue(metrics.contains("portcullis_decision_errors_total{"), metrics);
        assertTrue(metrics.contains("portcullis_evaluation_seconds"), metrics);
        assertTrue(metrics.contains("portcullis_audit_commit"), metrics);
        assertTrue(metrics.contains("portcullis_pool_size"), metrics);
    }
}
