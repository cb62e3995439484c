package dev.portcullis.gate.incidents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.records.AuditTrail;
import dev.portcullis.gate.records.AuditTrail.Kind;
import dev.portcullis.gate.records.Body;
import dev.portcullis.gate.records.Gate;
import dev.portcullis.gate.records.Json;
import dev.portcullis.gate.records.RecordError;
import dev.portcullis.gate.records.RecordException;
import dev.portcullis.gate.records.Times;
import dev.portcullis.gate.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The incident record. Every change asks a policy first (declare, transition, severity, review,
 * update) and is applied only on allow, in the same transaction as its audit entry. The facts
 * given to the policies come from the record and the authenticated caller.
 */
@ApplicationScoped
public class IncidentService {
    static final String DECLARE = "gate/incidents/declare/decision";
    static final String TRANSITION = "gate/incidents/transition/decision";
    static final String SEVERITY = "gate/incidents/severity/decision";
    static final String REVIEW = "gate/incidents/review/decision";
    static final String UPDATE = "gate/incidents/update/decision";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /** An incident with the decision that changed it. */
    public record Changed(Incident incident, DecisionOutcome decision) {
    }

    private final Gate gate;
    private final AuditTrail audit;
    private final LinkedRecords linked;

    IncidentService(Gate gate, AuditTrail audit, LinkedRecords linked) {
        this.gate = gate;
        this.audit = audit;
        this.linked = linked;
    }

    // ---- reading ----

    /** The record, or a 404. */
    public static Incident find(String id) {
        Incident i = id == null ? null : Incident.findById(id);
        if (i == null) {
            throw new RecordException(RecordError.NOT_FOUND, "no incident " + dev.portcullis.gate.json.LogText.quote(String.valueOf(id)));
        }
        return i;
    }

    private static Incident lock(String id) {
        Incident i = id == null ? null : Incident.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (i == null) {
            find(id);
        }
        return i;
    }

    @Transactional
    public ObjectNode view(String id) {
        return view(find(id), Times.now());
    }

    @Transactional
    public ArrayNode list(String status, String sev, Boolean open) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> p = new java.util.HashMap<>();
        if (status != null) {
            q.append(" and status = :status");
            p.put("status", status);
        }
        if (sev != null) {
            q.append(" and sev = :sev");
            p.put("sev", sev);
        }
        if (open != null) {
            q.append(open ? " and status <> 'resolved'" : " and status = 'resolved'");
        }
        q.append(" order by openedAt desc, incidentId desc");
        List<Incident> found = Incident.list(q.toString(), p);
        ArrayNode out = Json.MAPPER.createArrayNode();
        Instant now = Times.now();
        found.forEach(i -> out.add(summary(i, now)));
        return out;
    }

    // ---- declaring ----

    /** Declares an incident; the id is assigned here (INC-YYYYMMDD-###, numbered per UTC day). */
    @Transactional
    public Changed declare(Caller caller, Body body) {
        String sev = body.requiredText("sev");
        ObjectNode fields = IncidentFields.declaration(body);
        ObjectNode proposed = fields.deepCopy();
        proposed.put("sev", sev);
        proposed.put("status", "declared");
        ObjectNode in = Gate.input(caller);
        in.set("incident", proposed);
        DecisionOutcome o = gate.require(caller, DECLARE, in);

        Instant now = Times.now();
        Incident i = new Incident();
        i.incidentId = nextId(now);
        i.openedAt = now;
        i.status = "declared";
        i.sev = sev;
        i.fields = Json.write(fields);
        i.flagsEverRaised = Json.write(Json.strings(flags(fields)));
        i.declaredDecisionId = o.decisionId().toString();
        i.updateEveryMinutes = cadence(o);
        // flushed here so an id taken by another replica surfaces as a constraint violation now
        i.persistAndFlush();
        ObjectNode change = fields.deepCopy();
        change.put("sev", sev);
        change.put("status", "declared");
        audit.append(Kind.INCIDENT, i.incidentId, i.incidentId, caller, now, "declared", change, o.decisionId());
        return new Changed(i, o);
    }

    private static String nextId(Instant now) {
        String prefix = "INC-" + DAY.format(now) + "-";
        List<Incident> today = Incident.list("incidentId like ?1", prefix + "%");
        int max = 0;
        for (Incident i : today) {
            max = Math.max(max, Integer.parseInt(i.incidentId.substring(prefix.length())));
        }
        return prefix + String.format("%03d", max + 1);
    }

    // ---- editing ----

    /** A JSON merge patch of the editable fields, gated by the update policy. */
    @Transactional
    public Changed patch(Caller caller, String id, Body body) {
        ObjectNode patch = body.node();
        IncidentFields.patch(patch);
        Incident i = lock(id);
        ObjectNode in = Gate.input(caller);
        in.set("incident", facts(i));
        in.set("changes", patch);
        DecisionOutcome o = gate.require(caller, UPDATE, in, Kind.INCIDENT, i.incidentId, i.incidentId, "edit");

        ObjectNode fields = (ObjectNode) Json.read(i.fields);
        ObjectNode change = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode before = fields.get(e.getKey());
            JsonNode after = e.getValue().isNull() ? null : e.getValue();
            if (Objects.equals(before, after)) {
                continue;
            }
            ObjectNode c = change.putObject(e.getKey());
            c.set("from", before);
            c.set("to", after);
            if (after == null) {
                fields.remove(e.getKey());
            } else {
                fields.set(e.getKey(), after);
            }
        }
        i.fields = Json.write(fields);
        Set<String> ever = new LinkedHashSet<>(Json.stringList(i.flagsEverRaised));
        ever.addAll(flags(fields));
        i.flagsEverRaised = Json.write(Json.strings(ever));
        boolean roles = IncidentFields.ROLES.stream().anyMatch(change::has);
        audit.append(Kind.INCIDENT, i.incidentId, i.incidentId, caller, Times.now(), roles ? "roles changed" : "edited",
                change, o.decisionId());
        return new Changed(i, o);
    }

    // ---- status and severity ----

    /** {@code {"to": ...}} or {@code {"sev": ..., "evidence_ref": ...}}, plus an optional reason. */
    @Transactional
    public Changed transition(Caller caller, String id, Body body) {
        body.only(Set.of("to", "sev", "evidence_ref", "reason"));
        String to = body.text("to");
        String sev = body.text("sev");
        String reason = body.text("reason");
        if ((to == null) == (sev == null)) {
            throw Body.invalid("a transition is {\"to\": \"mitigating|mitigated|resolved\"} or {\"sev\": \"SEV0..SEV3\", \"evidence_ref\": ...}");
        }
        if (to != null && body.has("evidence_ref")) {
            throw Body.invalid("evidence_ref belongs to a severity change");
        }
        Incident i = lock(id);
        Instant now = Times.now();
        ObjectNode in = Gate.input(caller);
        in.set("incident", facts(i));
        in.put("now_unix_s", Times.unix(now));
        ObjectNode change = Json.object();
        DecisionOutcome o;
        if (to != null) {
            in.putObject("transition").put("to", to);
            if (i.mitigation != null) {
                in.set("mitigation", mitigationFacts(i.mitigation));
            }
            if (i.closure != null) {
                in.set("closure", closureFacts(i.closure));
            }
            in.set("governance_reviews", reviewFacts(i.incidentId));
            in.set("breakglass", linked.grantFacts(i.incidentId, now));
            o = gate.require(caller, TRANSITION, in, Kind.INCIDENT, i.incidentId, i.incidentId, "status " + i.status + " -> " + to);
            change.put("from", i.status);
            change.put("to", to);
            i.status = to;
        } else {
            String evidence = body.text("evidence_ref");
            ObjectNode c = in.putObject("change");
            c.put("sev", sev);
            if (evidence != null) {
                c.put("evidence_ref", evidence);
            }
            if (reason != null) {
                c.put("reason", reason);
            }
            o = gate.require(caller, SEVERITY, in, Kind.INCIDENT, i.incidentId, i.incidentId, "severity " + i.sev + " -> " + sev);
            change.put("sev_from", i.sev);
            change.put("sev_to", sev);
            change.put("evidence_ref", evidence);
            i.sev = sev;
            i.sevEvidenceRef = evidence;
        }
        if (reason != null) {
            change.put("reason", reason);
        }
        i.updateEveryMinutes = cadence(o);
        audit.append(Kind.INCIDENT, i.incidentId, i.incidentId, caller, now, to != null ? "status changed" : "severity changed",
                change, o.decisionId());
        return new Changed(i, o);
    }

    /** The cadence a decision obliges: its status_update obligation, or none. */
    private static Integer cadence(DecisionOutcome o) {
        for (JsonNode ob : o.obligations()) {
            if ("status_update".equals(ob.path("type").asText()) && ob.path("every_minutes").canConvertToInt()) {
                return ob.path("every_minutes").intValue();
            }
        }
        return null;
    }

    // ---- definition-of-done evidence ----

    @Transactional
    public Changed mitigation(Caller caller, String id, Body body) {
        body.only(Set.of("harm_stopped_at_utc", "stable_since_utc", "stable_window_minutes", "next_update_posted_at_utc"));
        ObjectNode m = Json.object();
        m.put("harm_stopped_at_utc", Times.utc(body.requiredInstant("harm_stopped_at_utc")));
        m.put("stable_since_utc", Times.utc(body.requiredInstant("stable_since_utc")));
        Integer window = body.integer("stable_window_minutes");
        if (window == null) {
            throw Body.invalid("stable_window_minutes is required");
        }
        m.put("stable_window_minutes", window);
        m.put("next_update_posted_at_utc", Times.utc(body.requiredInstant("next_update_posted_at_utc")));
        return evidence(caller, id, "mitigation", m);
    }

    @Transactional
    public Changed closure(Caller caller, String id, Body body) {
        body.only(Set.of("root_cause", "preventive_fix", "postmortem"));
        ObjectNode c = Json.object();
        c.put("root_cause", body.requiredText("root_cause"));
        Body fix = body.object("preventive_fix");
        if (fix == null) {
            throw Body.invalid("preventive_fix is required: {\"ref\", \"merged\": true} or {\"owner\", \"due_utc\"}");
        }
        ObjectNode f = c.putObject("preventive_fix");
        if (fix.has("ref") || fix.has("merged")) {
            fix.only(Set.of("ref", "merged"));
            f.put("ref", fix.requiredText("ref"));
            Boolean merged = fix.bool("merged");
            if (merged == null) {
                throw Body.invalid("preventive_fix.merged is required with a ref");
            }
            f.put("merged", merged);
        } else {
            fix.only(Set.of("owner", "due_utc"));
            f.put("owner", fix.requiredText("owner"));
            f.put("due_utc", Times.utc(fix.requiredInstant("due_utc")));
        }
        Body pm = body.object("postmortem");
        if (pm == null) {
            throw Body.invalid("postmortem is required: {\"scheduled_utc\"} or {\"completed_utc\", \"ref\"}");
        }
        ObjectNode p = c.putObject("postmortem");
        if (pm.has("scheduled_utc")) {
            pm.only(Set.of("scheduled_utc"));
            p.put("scheduled_utc", Times.utc(pm.requiredInstant("scheduled_utc")));
        } else {
            pm.only(Set.of("completed_utc", "ref"));
            p.put("completed_utc", Times.utc(pm.requiredInstant("completed_utc")));
            p.put("ref", pm.requiredText("ref"));
        }
        return evidence(caller, id, "closure", c);
    }

    private Changed evidence(Caller caller, String id, String kind, ObjectNode value) {
        Incident i = lock(id);
        ObjectNode in = Gate.input(caller);
        in.set("incident", facts(i));
        in.putObject("changes").set(kind, value);
        DecisionOutcome o = gate.require(caller, UPDATE, in, Kind.INCIDENT, i.incidentId, i.incidentId, kind + " evidence");
        if (kind.equals("mitigation")) {
            i.mitigation = Json.write(value);
        } else {
            i.closure = Json.write(value);
        }
        audit.append(Kind.INCIDENT, i.incidentId, i.incidentId, caller, Times.now(), kind + " evidence recorded", value,
                o.decisionId());
        return new Changed(i, o);
    }

    // ---- governance review and status updates ----

    @Transactional
    public Changed review(Caller caller, String id, Body body) {
        body.only(Set.of("outcome", "notes"));
        String outcome = body.requiredText("outcome");
        String notes = body.text("notes");
        Incident i = lock(id);
        ObjectNode in = Gate.input(caller);
        in.set("incident", facts(i));
        ObjectNode r = in.putObject("review");
        r.put("outcome", outcome);
        if (notes != null) {
            r.put("notes", notes);
        }
        DecisionOutcome o = gate.require(caller, REVIEW, in, Kind.INCIDENT, i.incidentId, i.incidentId, "governance review");
        Instant now = Times.now();
        GovernanceReview g = new GovernanceReview();
        g.incidentId = i.incidentId;
        g.reviewer = caller.name();
        g.outcome = outcome;
        g.notes = notes;
        g.recordedAt = now;
        g.decisionId = o.decisionId().toString();
        g.persist();
        ObjectNode change = Json.object();
        change.put("outcome", outcome);
        change.put("notes", notes);
        audit.append(Kind.INCIDENT, i.incidentId, i.incidentId, caller, now, "governance review", change, o.decisionId());
        return new Changed(i, o);
    }

    @Transactional
    public Changed postUpdate(Caller caller, String id, Body body) {
        body.only(Set.of("message"));
        String message = body.requiredText("message");
        if (message.isBlank()) {
            throw Body.invalid("message must say something: current status and next steps");
        }
        Incident i = lock(id);
        ObjectNode in = Gate.input(caller);
        in.set("incident", facts(i));
        in.putObject("changes").putObject("status_update").put("message", message);
        DecisionOutcome o = gate.require(caller, UPDATE, in, Kind.INCIDENT, i.incidentId, i.incidentId, "status update");
        Instant now = Times.now();
        StatusUpdate u = new StatusUpdate();
        u.incidentId = i.incidentId;
        u.actor = caller.name();
        u.message = message;
        u.recordedAt = now;
        u.persist();
        i.lastUpdateAt = now;
        ObjectNode change = Json.object();
        change.put("message", message);
        audit.append(Kind.INCIDENT, i.incidentId, i.incidentId, caller, now, "status update posted", change, o.decisionId());
        return new Changed(i, o);
    }

    // ---- facts for the policies ----

    /** The record as the policies read it: the template fields plus status, severity and flag history. */
    public static ObjectNode facts(Incident i) {
        ObjectNode f = (ObjectNode) Json.read(i.fields);
        f.put("incident_id", i.incidentId);
        f.put("status", i.status);
        f.put("sev", i.sev);
        f.set("flags_ever_raised", Json.read(i.flagsEverRaised));
        if (i.sevEvidenceRef != null) {
            f.put("sev_evidence_ref", i.sevEvidenceRef);
        }
        f.put("opened_at_unix_s", Times.unix(i.openedAt));
        return f;
    }

    /** Who responds to an incident: the names in its role fields. */
    public static List<String> responders(Incident i) {
        JsonNode f = Json.read(i.fields);
        return IncidentFields.ROLES.stream().map(r -> f.path(r)).filter(JsonNode::isTextual).map(JsonNode::textValue)
                .distinct().toList();
    }

    private static ObjectNode mitigationFacts(String json) {
        JsonNode m = Json.read(json);
        ObjectNode f = Json.object();
        f.put("harm_stopped_at_unix_s", unix(m, "harm_stopped_at_utc"));
        f.put("stable_since_unix_s", unix(m, "stable_since_utc"));
        f.set("stable_window_minutes", m.get("stable_window_minutes"));
        f.put("next_update_posted_at_unix_s", unix(m, "next_update_posted_at_utc"));
        return f;
    }

    private static ObjectNode closureFacts(String json) {
        JsonNode c = Json.read(json);
        ObjectNode f = Json.object();
        f.set("root_cause", c.get("root_cause"));
        JsonNode fix = c.path("preventive_fix");
        ObjectNode pf = f.putObject("preventive_fix");
        if (fix.has("ref")) {
            pf.set("ref", fix.get("ref"));
            pf.set("merged", fix.get("merged"));
        } else {
            pf.set("owner", fix.get("owner"));
            pf.put("due_unix_s", unix(fix, "due_utc"));
        }
        JsonNode pm = c.path("postmortem");
        ObjectNode p = f.putObject("postmortem");
        if (pm.has("scheduled_utc")) {
            p.put("scheduled_unix_s", unix(pm, "scheduled_utc"));
        } else {
            p.put("completed_unix_s", unix(pm, "completed_utc"));
            p.set("ref", pm.get("ref"));
        }
        return f;
    }

    private static long unix(JsonNode o, String field) {
        return Times.unix(Instant.parse(o.get(field).textValue()));
    }

    private static ArrayNode reviewFacts(String incidentId) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        List<GovernanceReview> reviews = GovernanceReview.list("incidentId = ?1 order by id", incidentId);
        for (GovernanceReview r : reviews) {
            ObjectNode o = out.addObject();
            o.put("seq", r.id);
            o.put("reviewer", r.reviewer);
            o.put("outcome", r.outcome);
        }
        return out;
    }

    private static List<String> flags(ObjectNode fields) {
        JsonNode f = fields.get("policy_flags");
        return f == null || !f.isArray() ? List.of() : Body.strings("policy_flags", f);
    }

    // ---- rendering ----

    static ObjectNode summary(Incident i, Instant now) {
        ObjectNode o = Json.object();
        o.put("incident_id", i.incidentId);
        o.put("opened_at_utc", Times.utc(i.openedAt));
        o.put("status", i.status);
        o.put("sev", i.sev);
        JsonNode f = Json.read(i.fields);
        o.set("title", f.get("title"));
        o.set("ic", f.get("ic"));
        o.set("policy_flags", f.get("policy_flags"));
        cadence(o, i, now);
        return o;
    }

    ObjectNode view(Incident i, Instant now) {
        ObjectNode o = Json.object();
        o.put("incident_id", i.incidentId);
        o.put("opened_at_utc", Times.utc(i.openedAt));
        o.put("sev", i.sev);
        o.put("status", i.status);
        JsonNode f = Json.read(i.fields);
        for (String name : IncidentFields.EDITABLE.keySet().stream().sorted().toList()) {
            o.set(name, f.get(name));
        }
        o.set("flags_ever_raised", Json.read(i.flagsEverRaised));
        o.put("sev_evidence_ref", i.sevEvidenceRef);
        o.set("mitigation", Json.read(i.mitigation));
        o.set("closure", Json.read(i.closure));
        ArrayNode reviews = o.putArray("governance_reviews");
        for (GovernanceReview r : GovernanceReview.<GovernanceReview>list("incidentId = ?1 order by id", i.incidentId)) {
            ObjectNode ro = reviews.addObject();
            ro.put("reviewer", r.reviewer);
            ro.put("outcome", r.outcome);
            ro.put("notes", r.notes);
            ro.put("at_utc", Times.utc(r.recordedAt));
            ro.put("decision_id", r.decisionId);
        }
        cadence(o, i, now);
        o.set("timeline_utc", AuditTrail.render(audit.timeline(i.incidentId)));
        o.put("decision_id", i.declaredDecisionId);
        return o;
    }

    /** Shows the last update and whether the cadence the policy obliged has been missed. */
    private static void cadence(ObjectNode o, Incident i, Instant now) {
        o.put("last_update_utc", Times.utc(i.lastUpdateAt));
        o.put("update_every_minutes", i.updateEveryMinutes);
        Instant since = i.lastUpdateAt != null ? i.lastUpdateAt : i.openedAt;
        o.put("update_overdue", i.updateEveryMinutes != null
                && now.isAfter(since.plusSeconds(60L * i.updateEveryMinutes)));
    }

    static UUID uuid(String s) {
        return s == null ? null : UUID.fromString(s);
    }
}
