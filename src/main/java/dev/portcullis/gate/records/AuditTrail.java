package dev.portcullis.gate.records;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Appends to and reads the audit trail of the runbook records. */
@ApplicationScoped
public class AuditTrail {

    /** Record types, as stored in {@code audit_entry.record_type}. */
    public enum Kind {
        INCIDENT, DATASET, SUBJECT, QUARANTINE, BREAKGLASS;

        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Must run inside the transaction that makes the change, so the entry and the change commit together. */
    public AuditEntry append(Kind kind, String recordId, String incidentId, Caller actor, Instant at, String action,
            ObjectNode change, UUID decisionId) {
        AuditEntry e = new AuditEntry();
        e.recordType = kind.column();
        e.recordId = recordId;
        e.incidentId = incidentId;
        e.recordedAt = at;
        e.actor = actor.name();
        e.action = action;
        e.changeJson = Json.write(change);
        e.decisionId = decisionId == null ? null : decisionId.toString();
        e.persist();
        return e;
    }

    public List<AuditEntry> of(Kind kind, String recordId) {
        return AuditEntry.list("recordType = ?1 and recordId = ?2 order by id", kind.column(), recordId);
    }

    /** Every entry linked to an incident (its own changes and those of its quarantines, grants, reviews). */
    public List<AuditEntry> timeline(String incidentId) {
        return AuditEntry.list("incidentId = ?1 order by id", incidentId);
    }

    public static ArrayNode render(List<AuditEntry> entries) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (AuditEntry e : entries) {
            ObjectNode o = out.addObject();
            o.put("at_utc", Times.utc(e.recordedAt));
            o.put("actor", e.actor);
            o.put("record", e.recordType + "/" + e.recordId);
            o.put("action", e.action);
            o.set("change", Json.read(e.changeJson));
            o.put("decision_id", e.decisionId);
        }
        return out;
    }
}
