package dev.portcullis.gate.decisionlog;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decisions.DecisionRecord;
import java.io.IOException;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A decision record as an OPA decision-log event: {@code labels}, {@code decision_id}, {@code bundles},
 * {@code path}, {@code input}, {@code result}, {@code requested_by}, {@code timestamp}, {@code metrics}, and
 * {@code error} / {@code erased} when they apply. {@code requested_by} is the authenticated caller (OPA puts the
 * client address there; the gate knows who asked). A record whose stored input or result is not JSON ships it
 * as a string rather than dropping the decision.
 */
public final class DecisionLogEvents {

    private final ObjectMapper json;
    private final Map<String, String> labels;
    private final List<JsonPointer> erase;
    private final List<String> eraseText;

    /**
     * @param labels every event's labels (id, version and configured ones)
     * @param erase  JSON pointers (from the event's root, so starting {@code /input} or {@code /result}) to remove
     */
    public DecisionLogEvents(ObjectMapper json, Map<String, String> labels, List<String> erase) {
        this.json = json;
        this.labels = Map.copyOf(labels);
        this.erase = new ArrayList<>();
        this.eraseText = new ArrayList<>();
        for (String p : erase) {
            String t = p.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (!t.startsWith("/input/") && !t.startsWith("/result/") && !t.equals("/input") && !t.equals("/result")) {
                throw new IllegalArgumentException("portcullis.decision-log.erase: " + t
                        + " must be a JSON pointer under /input or /result");
            }
            this.erase.add(JsonPointer.compile(t));
            this.eraseText.add(t);
        }
    }

    public ObjectNode event(DecisionRecord r) {
        ObjectNode e = json.createObjectNode();
        ObjectNode l = e.putObject("labels");
        labels.forEach(l::put);
        e.put("decision_id", r.decisionId().toString());
        if (r.bundleName() != null) {
            e.putObject("bundles").putObject(r.bundleName()).put("revision", r.bundleRevision());
        }
        e.put("path", r.policy());
        if (r.input() != null) {
            e.set("input", parse(r.input()));
        }
        if (r.result() != null) {
            e.set("result", parse(r.result()));
        }
        e.put("requested_by", r.caller());
        e.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(r.ts()));
        e.putObject("metrics").put("timer_server_handler_ns", r.latencyMicros() * 1000);
        if (r.errorCode() != null) {
            e.putObject("error").put("code", r.errorCode());
        }
        ArrayNode erased = null;
        for (int i = 0; i < erase.size(); i++) {
            if (remove(e, erase.get(i))) {
                if (erased == null) {
                    erased = e.putArray("erased");
                }
                erased.add(eraseText.get(i));
            }
        }
        return e;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(text);
        }
    }

    /** Removes the object member {@code p} points at; false when it is absent (or inside an array). */
    private static boolean remove(ObjectNode root, JsonPointer p) {
        JsonNode parent = root.at(p.head());
        String field = p.last().getMatchingProperty();
        if (parent instanceof ObjectNode o && o.has(field)) {
            o.remove(field);
            return true;
        }
        return false;
    }
}
