package dev.portcullis.gate.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * OPA's Data API as OPA's own TypeScript client ({@code @styra/opa}, pinned in src/test/node)
 * sees it: {@code src/test/node/opa-client.mjs} runs its ordinary calls against this running
 * service and must report no failure. The HTTP details the client hides are checked here.
 */
@QuarkusTest
@TestProfile(ApiTestProfile.class)
class OpaClientTest {

    static final String CLIENT = "Bearer dev-client";

    @TestHTTPResource("/")
    URL base;

    @Test
    void opaTypeScriptClientWorksUnchanged() throws Exception {
        Path nodeDir = Path.of("src", "test", "node").toAbsolutePath();
        Optional<Path> node = onPath("node");
        if (node.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("node is required in CI for the @styra/opa client test");
            }
            System.err.println("OPA CLIENT TEST NOT RUN: node not found on PATH");
            Assumptions.abort("node not found on PATH");
        }
        if (!Files.isDirectory(nodeDir.resolve("node_modules/@styra/opa"))) {
            Path npm = onPath("npm").orElseThrow(() -> new AssertionError("node without npm: run 'npm ci' in " + nodeDir));
            Proc ci = exec(nodeDir, 600, npm.toString(), "ci", "--no-audit", "--no-fund");
            assertEquals(0, ci.exit, () -> "npm ci failed:\n" + ci.output);
        }
        String url = base.toString().replaceAll("/+$", "");
        Proc run = exec(nodeDir, 300, node.get().toString(), "opa-client.mjs", url, "dev-client");
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("opa-client: 10 passed, 0 failed"), run.output);
    }

    @Test
    void getServesAndPathsBelowEntrypointsSelect() {
        given().header("Authorization", CLIENT).get("/v1/data/api/version").then().statusCode(200)
                .body("result", org.hamcrest.Matchers.isOneOf(1, 2));
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"input\":{\"user\":\"eve\"}}")
                .post("/v1/data/api/doc/who").then().statusCode(200).body("result", equalTo("eve"));
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"input\":{\"user\":\"eve\"}}")
                .post("/v1/data/api/doc/who/deeper").then().statusCode(200).body("$", not(hasKey("result")));
        // the record holds what was answered: the full path, the selected value, a deny when undefined
        String id = given().header("Authorization", CLIENT).contentType(ContentType.JSON)
                .body("{\"input\":{\"user\":\"admin\"}}").post("/v1/data/api/doc/allow").then().statusCode(200)
                .body("result", equalTo(true)).extract().path("decision_id");
        given().header("Authorization", "Bearer dev-responder").get("/v1/decisions/" + id).then().statusCode(200)
                .body("policy", equalTo("api/doc/allow")).body("allow", equalTo(true)).body("result", equalTo("true"));
        String undefinedId = given().header("Authorization", CLIENT).contentType(ContentType.JSON)
                .body("{\"input\":{\"user\":\"admin\"}}").post("/v1/data/api/doc/nope").then().statusCode(200)
                .body("$", not(hasKey("result"))).extract().path("decision_id");
        given().header("Authorization", "Bearer dev-responder").get("/v1/decisions/" + undefinedId).then()
                .statusCode(200).body("policy", equalTo("api/doc/nope")).body("allow", equalTo(false));
    }

    @Test
    void prettyDefaultDecisionAndHealthAsOpaAnswers() {
        String pretty = given().header("Authorization", CLIENT).queryParam("pretty", "")
                .get("/v1/data/api/version").then().statusCode(200).extract().asString();
        assertTrue(pretty.contains("\n  \"decision_id\""), pretty);
        String compact = given().header("Authorization", CLIENT).get("/v1/data/api/version").then().statusCode(200)
                .extract().asString();
        assertTrue(!compact.contains("\n"), compact);
        given().header("Authorization", CLIENT).queryParam("pretty", "yes").get("/v1/data/api/version").then()
                .statusCode(400).body("code", equalTo("invalid_input"));
        // the default decision answers the bare value; undefined is OPA's 404 undefined_document
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("{\"user\":\"admin\"}").post("/")
                .then().statusCode(200).body("who", equalTo("admin")).body("allow", equalTo(true))
                .body("$", not(hasKey("result")));
        given().header("Authorization", CLIENT).contentType(ContentType.JSON).body("[1,").post("/").then()
                .statusCode(400).body("code", equalTo("invalid_input"));
        given().contentType(ContentType.JSON).body("{}").post("/").then().statusCode(401);
        // health needs no token and reveals nothing but readiness
        given().get("/health").then().statusCode(200).body(equalTo("{}"));
        given().queryParam("bundles", "").get("/health").then().statusCode(200);
    }

    private record Proc(int exit, String output) {}

    private static Proc exec(Path dir, int timeoutSeconds, String... command) throws Exception {
        File out = File.createTempFile("opa-client-", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + "s");
            }
            return new Proc(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
