package dev.portcullis.gate.access;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.incidents.Incident;
import dev.portcullis.gate.incidents.IncidentService;
import dev.portcullis.gate.incidents.LinkedRecords;
import dev.portcullis.gate.json.LogText;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Datasets, subjects, quarantines and breakglass grants: the facts every access decision is made
 * on. Quarantines and grants are gated; a quarantine or release takes effect for the very next
 * access decision because access decisions read these records, not bundle data.
 */
@ApplicationScoped
public class AccessService implements LinkedRecords {
    static final String REQUEST = "gate/access/request/decision";
    static final String QUARANTINE = "gate/access/quarantine/decision";
    static final String RELEASE = "gate/access/release/decision";
    static final String BREAKGLASS = "gate/access/breakglass/decision";

    static final Set<String> CLASSIFICATIONS = Set.of("public", "internal", "sensitive-location", "culturally-restricted",
            "restricted");
    static final Set<String> LICENSES = Set.of("ok", "uncertain", "breach");

    /** Record ids in paths and bodies: printable, URL-safe, bounded. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    private final Gate gate;
    private final AuditTrail audit;

    AccessService(Gate gate, AuditTrail audit) {
        this.gate = gate;
        this.audit = audit;
    }

    public record Put<T>(T record, boolean created) {
    }

    public record Gated<T>(T record, DecisionOutcome decision) {
    }

    static String id(String what, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw Body.invalid(what + " must match " + ID.pattern() + (value == null ? "" : ", not " + LogText.quote(value)));
        }
        return value;
    }

    // ---- datasets and subjects (steward-kept facts; audited, not gated) ----

    @Transactional
    public Put<Dataset> putDataset(Caller caller, String datasetId, Body body) {
        id("dataset_id", datasetId);
        body.only(Set.of("classification", "license", "labels", "owner"));
        String classification = body.requiredText("classification");
        String license = body.requiredText("license");
        if (!CLASSIFICATIONS.contains(classification)) {
            throw Body.invalid("classification must be one of " + new java.util.TreeSet<>(CLASSIFICATIONS));
        }
        if (!LICENSES.contains(license)) {
            throw Body.invalid("license must be one of " + new java.util.TreeSet<>(LICENSES));
        }
        List<String> labels = body.strings("labels");
        String owner = body.text("owner");
        Dataset d = Dataset.findById(datasetId, LockModeType.PESSIMISTIC_WRITE);
        boolean created = d == null;
        ObjectNode before = created ? null : facts(d);
        if (created) {
            d = new Dataset();
            d.datasetId = datasetId;
        }
        d.classification = classification;
        d.license = license;
        d.labels = Json.write(Json.strings(labels == null ? List.of() : labels));
        d.owner = owner;
        d.updatedAt = Times.now();
        if (created) {
            d.persist();
        }
        ObjectNode change = Json.object();
        change.set("from", before);
        change.set("to", facts(d));
        audit.append(Kind.DATASET, datasetId, null, caller, d.updatedAt, created ? "registered" : "updated", change, null);
        return new Put<>(d, created);
    }

    @Transactional
    public Put<Subject> putSubject(Caller caller, String subjectId, Body body) {
        id("subject_id", subjectId);
        body.only(Set.of("roles", "need_to_know"));
        List<String> roles = body.strings("roles");
        if (roles == null) {
            throw Body.invalid("roles is required (an array of strings, possibly empty)");
        }
        List<String> ntk = body.strings("need_to_know");
        Subject s = Subject.findById(subjectId, LockModeType.PESSIMISTIC_WRITE);
        boolean created = s == null;
        ObjectNode before = created ? null : facts(s);
        if (created) {
            s = new Subject();
            s.subjectId = subjectId;
        }
        s.roles = Json.write(Json.strings(roles));
        s.needToKnow = Json.write(Json.strings(ntk == null ? List.of() : ntk));
        s.updatedAt = Times.now();
        if (created) {
            s.persist();
        }
        ObjectNode change = Json.object();
        change.set("from", before);
        change.set("to", facts(s));
        audit.append(Kind.SUBJECT, subjectId, null, caller, s.updatedAt, created ? "registered" : "updated", change, null);
        return new Put<>(s, created);
    }

    @Transactional
    public Dataset dataset(String datasetId) {
        Dataset d = Dataset.findById(id("dataset_id", datasetId));
        if (d == null) {
            throw new RecordException(RecordError.NOT_FOUND, "no dataset " + LogText.quote(datasetId));
        }
        return d;
    }

    @Transactional
    public Subject subject(String subjectId) {
        Subject s = Subject.findById(id("subject_id", subjectId));
        if (s == null) {
            throw new RecordException(RecordError.NOT_FOUND, "no subject " + LogText.quote(subjectId));
        }
        return s;
    }

    // ---- quarantine ----

    @Transactional
    public Gated<Quarantine> quarantine(Caller caller, String datasetId, String versionId, Body body) {
        id("dataset_id", datasetId);
        id("version_id", versionId);
        body.only(Set.of("incident_id", "reason"));
        String incidentId = body.requiredText("incident_id");
        String reason = body.text("reason");
        Incident incident = Incident.findById(incidentId, LockModeType.PESSIMISTIC_WRITE);
        Dataset dataset = Dataset.findById(datasetId);
        ObjectNode in = Gate.input(caller);
        ObjectNode q = in.putObject("quarantine");
        q.put("dataset_id", datasetId);
        q.put("version_id", versionId);
        if (reason != null) {
            q.put("reason", reason);
        }
        if (incident != null) {
            in.set("incident", IncidentService.facts(incident));
        }
        if (dataset != null) {
            in.set("dataset", facts(dataset));
        }
        in.put("active", Quarantine.count("datasetId = ?1 and versionId = ?2 and incidentId = ?3 and releasedAt is null",
                datasetId, versionId, incidentId) > 0);
        String link = incident == null ? null : incident.incidentId;
        DecisionOutcome o = gate.require(caller, QUARANTINE, in, Kind.QUARANTINE, datasetId + "/" + versionId, link,
                "quarantine");
        Quarantine r = new Quarantine();
        r.datasetId = datasetId;
        r.versionId = versionId;
        r.incidentId = incident.incidentId;
        r.reason = reason;
        r.placedBy = caller.name();
        r.placedAt = Times.now();
        r.placedDecisionId = o.decisionId().toString();
        r.persist();
        audit.append(Kind.QUARANTINE, r.id.toString(), r.incidentId, caller, r.placedAt, "quarantined", view(r),
                o.decisionId());
        return new Gated<>(r, o);
    }

    @Transactional
    public List<Gated<Quarantine>> release(Caller caller, String datasetId, String versionId, Body body) {
        id("dataset_id", datasetId);
        id("version_id", versionId);
        body.only(Set.of("reason", "replacement_version"));
        String reason = body.text("reason");
        String replacement = body.text("replacement_version");
        List<Quarantine> active = Quarantine.find("datasetId = ?1 and versionId = ?2 and releasedAt is null order by id",
                datasetId, versionId).withLock(LockModeType.PESSIMISTIC_WRITE).list();
        boolean replacementQuarantined = replacement != null && Quarantine.count(
                "datasetId = ?1 and versionId = ?2 and releasedAt is null", datasetId, replacement) > 0;
        List<Gated<Quarantine>> out = new ArrayList<>();
        // no active quarantine: still a decision, so the refusal is recorded and explained like any other
        for (Quarantine q : active.isEmpty() ? java.util.Collections.<Quarantine>singletonList(null) : active) {
            ObjectNode in = Gate.input(caller);
            if (q != null) {
                ObjectNode qf = in.putObject("quarantine");
                qf.put("dataset_id", q.datasetId);
                qf.put("version_id", q.versionId);
                qf.put("incident_id", q.incidentId);
            }
            ObjectNode rel = in.putObject("release");
            if (reason != null) {
                rel.put("reason", reason);
            }
            if (replacement != null) {
                rel.put("replacement_version", replacement);
                in.put("replacement_quarantined", replacementQuarantined);
            }
            DecisionOutcome o = gate.require(caller, RELEASE, in, Kind.QUARANTINE,
                    q == null ? datasetId + "/" + versionId : q.id.toString(), q == null ? null : q.incidentId, "release");
            q.releasedAt = Times.now();
            q.releasedBy = caller.name();
            q.releaseReason = reason;
            q.replacementVersion = replacement;
            q.releasedDecisionId = o.decisionId().toString();
            audit.append(Kind.QUARANTINE, q.id.toString(), q.incidentId, caller, q.releasedAt, "released", view(q),
                    o.decisionId());
            out.add(new Gated<>(q, o));
        }
        return out;
    }

    // ---- breakglass ----

    @Transactional
    public Gated<BreakglassGrant> grant(Caller caller, Body body) {
        body.only(Set.of("subject", "datasets", "incident_id", "justification", "duration_minutes"));
        String subject = body.requiredText("subject");
        List<String> datasets = body.strings("datasets");
        if (datasets == null) {
            throw Body.invalid("datasets is required (an array of dataset ids)");
        }
        String incidentId = body.requiredText("incident_id");
        String justification = body.text("justification");
        Integer duration = body.integer("duration_minutes");
        if (duration == null) {
            throw Body.invalid("duration_minutes is required");
        }
        Incident incident = Incident.findById(incidentId, LockModeType.PESSIMISTIC_WRITE);
        Subject s = Subject.findById(subject);
        ObjectNode in = Gate.input(caller);
        ObjectNode g = in.putObject("grant");
        g.put("subject", subject);
        g.set("datasets", Json.strings(datasets));
        if (justification != null) {
            g.put("justification", justification);
        }
        g.put("duration_minutes", duration);
        if (incident != null) {
            in.set("incident", IncidentService.facts(incident));
        }
        if (s != null) {
            in.set("subject", facts(s));
        }
        in.put("datasets_known", datasets.stream().allMatch(d -> Dataset.findById(d) != null));
        DecisionOutcome o = gate.require(caller, BREAKGLASS, in, Kind.BREAKGLASS, "(new grant)",
                incident == null ? null : incident.incidentId, "breakglass grant to " + subject);
        BreakglassGrant r = new BreakglassGrant();
        r.id = UUID.randomUUID().toString();
        r.subject = subject;
        r.datasets = Json.write(Json.strings(datasets));
        r.incidentId = incident.incidentId;
        r.justification = justification;
        r.durationMinutes = duration;
        r.grantedBy = caller.name();
        r.grantedAt = Times.now();
        r.expiresAt = r.grantedAt.plusSeconds(60L * duration);
        r.decisionId = o.decisionId().toString();
        r.persist();
        audit.append(Kind.BREAKGLASS, r.id, r.incidentId, caller, r.grantedAt, "granted", view(r), o.decisionId());
        return new Gated<>(r, o);
    }

    /**
     * Revocation only removes access, so it is never gated: a policy outage must not keep a grant
     * alive. Revoking a revoked grant changes nothing.
     */
    @Transactional
    public BreakglassGrant revoke(Caller caller, String grantId, Body body) {
        body.only(Set.of("reason"));
        String reason = body.text("reason");
        BreakglassGrant g = grantId == null ? null : BreakglassGrant.findById(grantId, LockModeType.PESSIMISTIC_WRITE);
        if (g == null) {
            throw new RecordException(RecordError.NOT_FOUND, "no breakglass grant " + LogText.quote(String.valueOf(grantId)));
        }
        if (g.revokedAt == null) {
            g.revokedAt = Times.now();
            g.revokedBy = caller.name();
            g.revokeReason = reason;
            audit.append(Kind.BREAKGLASS, g.id, g.incidentId, caller, g.revokedAt, "revoked", view(g), null);
        }
        return g;
    }

    @Transactional
    public ArrayNode grantsView(String incidentId, Boolean active) {
        List<BreakglassGrant> all = incidentId == null ? BreakglassGrant.list("order by grantedAt, id")
                : BreakglassGrant.list("incidentId = ?1 order by grantedAt, id", incidentId);
        Instant now = Times.now();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (BreakglassGrant g : all) {
            // a listing filter for people, not a gate: access decisions judge grants in the policy
            boolean isActive = g.revokedAt == null && g.expiresAt.isAfter(now);
            if (active == null || active == isActive) {
                out.add(view(g).put("active", isActive));
            }
        }
        return out;
    }

    // ---- data access ----

    /** Composes the facts for an access request from the records and asks the policy. */
    @Transactional
    public DecisionOutcome access(Caller caller, Body body) {
        body.only(Set.of("subject", "action", "dataset_id", "version_id", "purpose", "breakglass_id"));
        String subjectId = body.requiredText("subject");
        String action = body.requiredText("action");
        String datasetId = body.requiredText("dataset_id");
        String versionId = body.text("version_id");
        String purpose = body.text("purpose");
        String grantId = body.text("breakglass_id");
        Instant now = Times.now();
        ObjectNode in = Gate.input(caller);
        Subject s = Subject.findById(subjectId);
        if (s != null) {
            in.set("subject", facts(s));
        }
        in.put("action", action);
        Dataset d = Dataset.findById(datasetId);
        if (d != null) {
            in.set("dataset", facts(d));
        }
        if (versionId != null) {
            in.put("version_id", versionId);
        }
        if (purpose != null) {
            in.put("purpose", purpose);
        }
        ArrayNode qs = in.putArray("quarantines");
        if (versionId != null) {
            List<Quarantine> active = Quarantine.list("datasetId = ?1 and versionId = ?2 and releasedAt is null order by id",
                    datasetId, versionId);
            for (Quarantine q : active) {
                ObjectNode qf = qs.addObject();
                qf.put("incident_id", q.incidentId);
                Incident i = Incident.findById(q.incidentId);
                qf.set("responders", Json.strings(i == null ? List.of() : IncidentService.responders(i)));
            }
        }
        if (grantId != null) {
            in.put("breakglass_requested", true);
            BreakglassGrant g = BreakglassGrant.findById(grantId);
            if (g != null) {
                ObjectNode gf = in.putObject("breakglass");
                gf.put("id", g.id);
                gf.put("subject", g.subject);
                gf.set("datasets", Json.read(g.datasets));
                Incident i = Incident.findById(g.incidentId);
                if (i != null) {
                    gf.putObject("incident").put("status", i.status);
                }
                gf.put("revoked", g.revokedAt != null);
                gf.put("expires_at_unix_s", Times.unix(g.expiresAt));
            }
        }
        in.put("now_unix_s", Times.unix(now));
        DecisionOutcome o = gate.ask(caller, REQUEST, in);
        if (o.allow()) {
            obeyAuditObligations(caller, o, subjectId, action, datasetId, versionId, purpose, now);
        }
        return o;
    }

    /**
     * The runbook wants every breakglass action on record ("who, when, scope, and justification"):
     * an {@code audit_breakglass} obligation puts the use on the grant's trail and the incident's
     * timeline, in the transaction that answers the request.
     */
    private void obeyAuditObligations(Caller caller, DecisionOutcome o, String subject, String action,
            String datasetId, String versionId, String purpose, Instant now) {
        for (com.fasterxml.jackson.databind.JsonNode ob : o.obligations()) {
            if (!"audit_breakglass".equals(ob.path("type").asText()) || !ob.path("grant").isTextual()) {
                continue;
            }
            BreakglassGrant g = BreakglassGrant.findById(ob.path("grant").textValue());
            if (g == null) {
                continue;
            }
            ObjectNode use = Json.object();
            use.put("subject", subject);
            use.put("action", action);
            use.put("dataset_id", datasetId);
            use.put("version_id", versionId);
            use.put("purpose", purpose);
            audit.append(Kind.BREAKGLASS, g.id, g.incidentId, caller, now, "breakglass used", use, o.decisionId());
        }
    }

    // ---- facts and views ----

    static ObjectNode facts(Dataset d) {
        ObjectNode o = Json.object();
        o.put("dataset_id", d.datasetId);
        o.put("classification", d.classification);
        o.put("license", d.license);
        o.set("labels", Json.read(d.labels));
        o.put("owner", d.owner);
        return o;
    }

    static ObjectNode facts(Subject s) {
        ObjectNode o = Json.object();
        o.put("id", s.subjectId);
        o.set("roles", Json.read(s.roles));
        o.set("need_to_know", Json.read(s.needToKnow));
        return o;
    }

    static ObjectNode view(Quarantine q) {
        ObjectNode o = Json.object();
        o.put("id", q.id);
        o.put("dataset_id", q.datasetId);
        o.put("version_id", q.versionId);
        o.put("incident_id", q.incidentId);
        o.put("reason", q.reason);
        o.put("placed_by", q.placedBy);
        o.put("placed_at_utc", Times.utc(q.placedAt));
        o.put("decision_id", q.placedDecisionId);
        o.put("active", q.releasedAt == null);
        o.put("released_at_utc", Times.utc(q.releasedAt));
        o.put("released_by", q.releasedBy);
        o.put("release_reason", q.releaseReason);
        o.put("replacement_version", q.replacementVersion);
        o.put("release_decision_id", q.releasedDecisionId);
        return o;
    }

    static ObjectNode view(BreakglassGrant g) {
        ObjectNode o = Json.object();
        o.put("id", g.id);
        o.put("subject", g.subject);
        o.set("datasets", Json.read(g.datasets));
        o.put("incident_id", g.incidentId);
        o.put("justification", g.justification);
        o.put("duration_minutes", g.durationMinutes);
        o.put("granted_by", g.grantedBy);
        o.put("granted_at_utc", Times.utc(g.grantedAt));
        o.put("expires_at_utc", Times.utc(g.expiresAt));
        o.put("decision_id", g.decisionId);
        o.put("revoked_at_utc", Times.utc(g.revokedAt));
        o.put("revoked_by", g.revokedBy);
        o.put("revoke_reason", g.revokeReason);
        return o;
    }

    // ---- LinkedRecords (read by the incident package) ----

    @Override
    public ArrayNode grantFacts(String incidentId, Instant now) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (BreakglassGrant g : BreakglassGrant.<BreakglassGrant>list("incidentId = ?1 order by id", incidentId)) {
            ObjectNode o = out.addObject();
            o.put("id", g.id);
            o.put("revoked", g.revokedAt != null);
            o.put("expires_at_unix_s", Times.unix(g.expiresAt));
        }
        return out;
    }

    @Override
    public ArrayNode quarantines(String incidentId) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Quarantine q : Quarantine.<Quarantine>list("incidentId = ?1 order by id", incidentId)) {
            out.add(view(q));
        }
        return out;
    }

    @Override
    public ArrayNode grants(String incidentId) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (BreakglassGrant g : BreakglassGrant.<BreakglassGrant>list("incidentId = ?1 order by id", incidentId)) {
            out.add(view(g));
        }
        return out;
    }
}
