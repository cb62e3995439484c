package dev.portcullis.rego.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.rego.RegoCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The realistic benchmark policy ({@code bench/change/change.rego}): its source, its data, and
 * change-request inputs of the size the issue asks for (a dozen resources, about 3 KB).
 */
public final class ChangePolicy {

    public static final String ENTRYPOINT = "bench/change/decision";
    static final ObjectMapper JSON = new ObjectMapper();

    public static final String DATA = """
            {"bench":{"settings":{
              "teams":{"payments":["ana","bo"],"security":["sec1"],"platform":["cy","dee"]},
              "frozen_envs":["dr"],
              "required_labels":["cost-center","data-class"],
              "max_cost_delta":5000,
              "risk_approvals":{"low":0,"medium":1,"high":2}}}}
            """;

    private ChangePolicy() {}

    public static String source() {
        try (InputStream in = ChangePolicy.class.getResourceAsStream("/bench/change/change.rego")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] compile() {
        return RegoCompiler.compile(List.of(new RegoCompiler.Source("change.rego", source())),
                List.of(ENTRYPOINT)).wasm();
    }

    /** A high-risk production change that every rule accepts; tests and benchmarks mutate it. */
    public static ObjectNode approvableChange(int variant) {
        ObjectNode change = JSON.createObjectNode();
        change.put("id", "CHG-" + (1000 + variant));
        change.put("author", "ana");
        change.put("risk", "high");
        change.put("environment", "prod");
        change.put("submitted_at", "2026-12-02T10:15:00Z");
        change.putObject("window").put("start", "2026-12-02T10:00:00Z").put("end", "2026-12-02T12:00:00Z");
        ArrayNode resources = change.putArray("resources");
        ArrayNode tickets = change.putArray("tickets");
        String[] types = {"database", "bucket", "volume", "service"};
        for (int i = 0; i < 12; i++) {
            String id = "res-" + variant + "-" + i;
            ObjectNode r = resources.addObject();
            r.put("id", id);
            r.put("type", types[i % types.length]);
            r.put("env", i % 3 == 0 ? "staging" : "prod");
            r.put("owner", i % 2 == 0 ? "payments" : "platform");
            r.put("backup_verified", true);
            r.put("public", false);
            r.put("encrypted", true);
            r.put("cost_delta", 10 * i + variant % 7);
            r.putObject("labels").put("cost-center", "cc-" + (i % 4)).put("data-class", "internal")
                    .put("service", "svc-" + i);
            tickets.add(id + ":JIRA-" + (4000 + i));
        }
        ArrayNode approvals = change.putArray("approvals");
        approvals.addObject().put("user", "bo").put("team", "payments").put("decision", "approve");
        approvals.addObject().put("user", "sec1").put("team", "security").put("decision", "approve");
        approvals.addObject().put("user", "cy").put("team", "platform").put("decision", "approve");
        approvals.addObject().put("user", "ana").put("team", "payments").put("decision", "approve");
        ObjectNode input = JSON.createObjectNode();
        input.set("change", change);
        return input;
    }

    public static String json(ObjectNode input) {
        try {
            return JSON.writeValueAsString(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
