package dev.portcullis.gate.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.portcullis.gate.bundles.TestBundles;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Bundle listing, activation, rollback, shadow evaluation and uploads over HTTP. */
@QuarkusTest
@TestProfile(BundlesApiTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BundlesApiTest {

    /** Same bundles as {@link ApiTestProfile}, but its own database, so activations here stay here. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new ApiTestProfile().getConfigOverrides());
            m.remove("quarkus.datasource.jdbc.url");
            return dev.portcullis.gate.TestDatabase.isolated("portcullis-bundles-api", m);
        }
    }

    static final String ADMIN = "Bearer dev-admin";

    static boolean bobAllowed() {
        return given().header("Authorization", "Bearer dev-client").contentType(ContentType.JSON)
                .body("{\"policy\":\"api/decision\",\"input\":{\"user\":\"bob\"}}")
                .post("/v1/decisions").then().statusCode(200).extract().path("allow");
    }

    @Test
    @Order(1)
    void listsVersionsAndTheActiveRevision() {
        given().header("Authorization", "Bearer dev-client").get("/v1/bundles").then().statusCode(200)
                .body("bundles.find { it.name == 'gate' }.active", equalTo("1"))
                .body("bundles.find { it.name == 'gate' }.versions.revision", hasItems("1", "2"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.containsString(
                        "portcullis_bundle_active{bundle=\"gate\",revision=\"1\"} 1.0")));
    }

    @Test
    @Order(2)
    void activateSwapsAndRollbackRestores() {
        org.junit.jupiter.api.Assertions.assertFalse(bobAllowed());
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"revision\":\"2\"}")
                .post("/v1/bundles/gate/activate").then().statusCode(200).body("revision", equalTo("2"));
        org.junit.jupiter.api.Assertions.assertTrue(bobAllowed());
        given().header("Authorization", ADMIN).post("/v1/bundles/gate/rollback").then().statusCode(200)
                .body("revision", equalTo("1"));
        org.junit.jupiter.api.Assertions.assertFalse(bobAllowed());
    }

    @Test
    @Order(3)
    void unknownRevisionOrBundleIs404() {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"revision\":\"99\"}")
                .post("/v1/bundles/gate/activate").then().statusCode(404).body("code", equalTo("unknown_bundle"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{}")
                .post("/v1/bundles/gate/activate").then().statusCode(400);
    }

    @Test
    @Order(4)
    void shadowRevisionReportsDifferences() {
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"revision\":\"2\"}")
                .put("/v1/bundles/gate/shadow").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            org.junit.jupiter.api.Assertions.assertFalse(bobAllowed(), "shadow must not change live decisions");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("Authorization", "Bearer dev-steward").get("/v1/bundles/gate/shadow").then()
                        .statusCode(200).body("differed", greaterThan(2)).body("shadowRevision", equalTo("2")));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"revision\":null}")
                .put("/v1/bundles/gate/shadow").then().statusCode(200);
    }

    @Test
    @Order(5)
    void uploadStoresButDoesNotActivate() {
        byte[] wasm = TestBundles.compile(ApiTestProfile.POLICY_V1.replace("version := 1", "version := 3"),
                ApiTestProfile.ENTRYPOINTS);
        byte[] bytes = TestBundles.bytes(TestBundles.bundle("3", wasm, ApiTestProfile.ENTRYPOINTS, null, "gate"));
        given().header("Authorization", ADMIN).contentType("application/gzip").body(bytes)
                .post("/v1/bundles").then().statusCode(201).body("version.revision", equalTo("3"));
        given().header("Authorization", ADMIN).get("/v1/bundles").then()
                .body("bundles.find { it.name == 'gate' }.versions.revision", hasItem("3"))
                .body("bundles.find { it.name == 'gate' }.active", equalTo("1"));
        // same revision, different bytes: refused
        byte[] other = TestBundles.bytes(TestBundles.bundle("3", TestBundles.compile(ApiTestProfile.POLICY_V2,
                ApiTestProfile.ENTRYPOINTS), ApiTestProfile.ENTRYPOINTS, null, "gate"));
        given().header("Authorization", ADMIN).contentType("application/gzip").body(other)
                .post("/v1/bundles").then().statusCode(409).body("code", equalTo("revision_conflict"));
    }

    @Test
    @Order(6)
    void corruptUploadIsRejectedAndNothingChanges() {
        byte[] good = TestBundles.bytes(TestBundles.simple("9", "gate"));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        given().header("Authorization", ADMIN).contentType("application/gzip").body(truncated)
                .post("/v1/bundles").then().statusCode(422).body("code", equalTo("corrupt"));
        given().header("Authorization", ADMIN).contentType("application/gzip").body("not a bundle".getBytes())
                .post("/v1/bundles").then().statusCode(422).body("code", equalTo("corrupt"));
        given().header("Authorization", ADMIN).get("/v1/bundles").then()
                .body("bundles.find { it.name == 'gate' }.active", equalTo("1"));
        org.junit.jupiter.api.Assertions.assertFalse(bobAllowed());
    }
}
