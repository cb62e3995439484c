package dev.portcullis.gate.runbook;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Calls the runbook API as one of the test profile's people. */
final class Api {
    private Api() {}

    static RequestSpecification as(String who) {
        return given().header("Authorization", "Bearer test-" + who).contentType(ContentType.JSON);
    }

    static Response post(String who, String path, String body) {
        return as(who).body(body).post(path);
    }

    static Response patch(String who, String path, String body) {
        return as(who).body(body).patch(path);
    }

    static Response put(String who, String path, String body) {
        return as(who).body(body).put(path);
    }

    static Response get(String who, String path) {
        return as(who).get(path);
    }

    static String ago(long minutes) {
        return Instant.now().minus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String ahead(long minutes) {
        return Instant.now().plus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Declares an incident as {@code who}; returns its id. */
    static String declare(String who, String body) {
        return post(who, "/v1/incidents", body).then().statusCode(201).extract().path("incident_id");
    }

    static Response transition(String who, String id, String body) {
        return post(who, "/v1/incidents/" + id + "/transitions", body);
    }

    static Response to(String who, String id, String status) {
        return transition(who, id, "{\"to\":\"" + status + "\"}");
    }

    /** Mitigation evidence that satisfies any configured stable window (stable for three hours). */
    static String stableMitigation() {
        return "{\"harm_stopped_at_utc\":\"" + ago(180) + "\",\"stable_since_utc\":\"" + ago(180)
                + "\",\"stable_window_minutes\":60,\"next_update_posted_at_utc\":\"" + ago(120) + "\"}";
    }

    static String trackedClosure() {
        return "{\"root_cause\":\"a config push disabled the pool\",\"preventive_fix\":{\"owner\":\"bo\",\"due_utc\":\""
                + ahead(7 * 24 * 60) + "\"},\"postmortem\":{\"scheduled_utc\":\"" + ahead(2 * 24 * 60) + "\"}}";
    }
}
