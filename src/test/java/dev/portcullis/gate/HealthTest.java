package dev.portcullis.gate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthTest {

    @Test
    void livenessIsUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void readinessReportsTheWasmRuntime() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("wasm-runtime"))
                .body("status", equalTo("UP"));
    }

    @Test
    void openApiDescribesTheGateEndpoints() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/decisions"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/bundles/{name}/activate"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/data/{path}"));
    }
}
