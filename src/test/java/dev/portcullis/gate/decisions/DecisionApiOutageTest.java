package dev.portcullis.gate.decisions;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.portcullis.gate.api.ApiTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The whole service during a database outage: with the database gone a decision is a deny with
 * {@code audit_unavailable} (never an unrecorded allow) and readiness is DOWN; when the database
 * returns, decisions and readiness recover without intervention.
 */
@QuarkusTest
@TestProfile(DecisionApiOutageTest.Profile.class)
class DecisionApiOutageTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(H2TcpServerResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(new ApiTestProfile().getConfigOverrides());
            m.putAll(H2TcpServerResource.datasourceConfig());
            m.put("quarkus.flyway.locations", "db/migration,db/vendor/h2");
            m.put("portcullis.decisions.probe-interval", "200ms");
            return m;
        }
    }

    static ValidatableResponse decideAsAdmin() {
        return given().header("Authorization", "Bearer dev-client").contentType(ContentType.JSON)
                .body("{\"policy\":\"api/decision\",\"input\":{\"user\":\"admin\"}}")
                .post("/v1/decisions").then();
    }

    @Test
    void outageDeniesWithAuditUnavailableAndRecovers() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        int port = Integer.parseInt(url.replaceAll("^jdbc:h2:tcp://127\\.0\\.0\\.1:(\\d+)/.*$", "$1"));
        decideAsAdmin().statusCode(200).body("allow", equalTo(true));

        H2TcpServerResource.stopServer(port);
        try {
            decideAsAdmin().statusCode(503).body("allow", equalTo(false))
                    .body("error.code", equalTo("audit_unavailable"));
            given().get("/q/health/ready").then().statusCode(503);
            // the engine itself is fine: liveness stays UP
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            H2TcpServerResource.startServer(port);
        }

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                decideAsAdmin().statusCode(200).body("allow", equalTo(true)));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200));
        given().header("Authorization", "Bearer dev-steward").get("/v1/decisions/verify").then().statusCode(200)
                .body("ok", equalTo(true));
    }
}
