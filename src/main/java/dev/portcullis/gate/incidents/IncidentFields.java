package dev.portcullis.gate.incidents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.records.Body;
import dev.portcullis.gate.records.RecordError;
import dev.portcullis.gate.records.RecordException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runbook template's fields an incident record keeps, with their JSON shapes. The shapes are
 * checked here; which values are acceptable is for the policies.
 */
final class IncidentFields {
    private IncidentFields() {}

    enum Shape { TEXT, TEXT_LIST, DATASET_LIST, LIST }

    static final List<String> ROLES = List.of("ic", "tech_lead", "scribe", "comms", "governance_steward", "security_lead");

    static final Map<String, Shape> EDITABLE = Map.ofEntries(
            Map.entry("title", Shape.TEXT),
            Map.entry("ic", Shape.TEXT),
            Map.entry("tech_lead", Shape.TEXT),
            Map.entry("scribe", Shape.TEXT),
            Map.entry("comms", Shape.TEXT),
            Map.entry("governance_steward", Shape.TEXT),
            Map.entry("security_lead", Shape.TEXT),
            Map.entry("systems_affected", Shape.TEXT_LIST),
            Map.entry("datasets_affected", Shape.DATASET_LIST),
            Map.entry("policy_flags", Shape.TEXT_LIST),
            Map.entry("external_user_impact", Shape.TEXT),
            Map.entry("current_status", Shape.TEXT),
            Map.entry("hypotheses", Shape.TEXT_LIST),
            Map.entry("next_steps", Shape.LIST),
            Map.entry("notes_redaction", Shape.TEXT));

    /**
     * Members only the service or a gated endpoint sets. A body naming one is refused with
     * {@code gated_field} rather than silently ignored, so nobody believes they changed it.
     */
    static final Set<String> GATED = Set.of("incident_id", "opened_at_utc", "status", "sev", "sev_evidence_ref",
            "governance_review", "governance_reviews", "mitigation", "closure", "timeline_utc", "audit_trail",
            "decision_id", "flags_ever_raised", "last_update_utc", "update_overdue", "update_every_minutes");

    /** Checks a declaration body (sev plus editable fields) and returns the editable fields. */
    static ObjectNode declaration(Body body) {
        ObjectNode fields = body.node().deepCopy();
        fields.remove("sev");
        check(fields, false);
        return fields;
    }

    /** Checks a merge patch: editable fields only; null removes a field. */
    static void patch(ObjectNode patch) {
        if (patch.isEmpty()) {
            throw new RecordException(RecordError.INVALID_REQUEST, "the patch changes nothing");
        }
        check(patch, true);
    }

    private static void check(ObjectNode fields, boolean nullable) {
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (GATED.contains(name)) {
                throw new RecordException(RecordError.GATED_FIELD, name + " cannot be set here"
                        + (name.equals("status") || name.equals("sev") ? "; use POST /v1/incidents/{id}/transitions" : ""));
            }
            Shape shape = EDITABLE.get(name);
            if (shape == null) {
                throw Body.invalid("unknown incident field " + dev.portcullis.gate.json.LogText.quote(name));
            }
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            switch (shape) {
                case TEXT -> Body.of(fields).text(name);
                case TEXT_LIST -> Body.strings(name, v);
                case DATASET_LIST -> datasets(v);
                case LIST -> nextSteps(v);
            }
        }
        if (!nullable) {
            fields.properties().removeIf(e -> e.getValue().isNull());
        }
    }

    private static void datasets(JsonNode v) {
        if (!v.isArray()) {
            throw Body.invalid("datasets_affected must be an array of {\"dataset_id\", \"version_id\"}");
        }
        for (JsonNode d : v) {
            if (!d.isObject() || d.size() != 2 || !d.path("dataset_id").isTextual() || !d.path("version_id").isTextual()) {
                throw Body.invalid("datasets_affected must be an array of {\"dataset_id\", \"version_id\"}");
            }
        }
    }

    private static void nextSteps(JsonNode v) {
        if (!v.isArray()) {
            throw Body.invalid("next_steps must be an array of strings or {\"owner\", \"task\", \"eta\"} objects");
        }
        for (JsonNode s : v) {
            boolean ok = s.isTextual() || s.isObject() && s.size() > 0 && allText(s) && Set.of("owner", "task", "eta")
                    .containsAll(iterable(s.fieldNames()));
            if (!ok) {
                throw Body.invalid("next_steps must be an array of strings or {\"owner\", \"task\", \"eta\"} objects");
            }
        }
    }

    private static boolean allText(JsonNode o) {
        for (JsonNode x : o) {
            if (!x.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> iterable(Iterator<String> it) {
        Set<String> s = new java.util.HashSet<>();
        it.forEachRemaining(s::add);
        return s;
    }
}
