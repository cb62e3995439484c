package dev.portcullis.gate.incidents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decisions.DecisionHash;
import dev.portcullis.gate.decisions.DecisionQueries;
import dev.portcullis.gate.decisions.DecisionRecord;
import dev.portcullis.gate.records.AuditEntry;
import dev.portcullis.gate.records.AuditTrail;
import dev.portcullis.gate.records.Json;
import dev.portcullis.gate.records.RecordException;
import dev.portcullis.gate.records.Times;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One JSON package that makes an incident reconstructable: the record, its timeline and audit
 * trail, every decision linked to it (with the bundle that made it), its quarantines and grants,
 * and the verification of the decision hash chain those decisions sit in.
 */
@ApplicationScoped
public class EvidenceExport {

    private final IncidentService incidents;
    private final AuditTrail audit;
    private final LinkedRecords linked;
    private final DecisionQueries decisions;

    EvidenceExport(IncidentService incidents, AuditTrail audit, LinkedRecords linked, DecisionQueries decisions) {
        this.incidents = incidents;
        this.audit = audit;
        this.linked = linked;
        this.decisions = decisions;
    }

    /**
     * The records are read in one transaction; the decision record is read after it, on connections
     * of its own (it is not part of the domain's transactions).
     */
    public ObjectNode export(String id) {
        Parts p;
        try {
            p = QuarkusTransaction.requiringNew().call(() -> records(id));
        } catch (RuntimeException e) {
            if (e.getCause() instanceof RecordException r) {
                throw r; // a 404 stays a 404 whichever way the transaction API wraps it
            }
            throw e;
        }
        return withDecisions(p.out(), p.decisionIds());
    }

    private record Parts(ObjectNode out, Set<String> decisionIds) {
    }

    private Parts records(String id) {
        Incident i = IncidentService.find(id);
        ObjectNode out = Json.object();
        out.put("exported_at_utc", Times.utc(Times.now()));
        out.set("incident", incidents.view(i, Times.now()));
        List<AuditEntry> timeline = audit.timeline(i.incidentId);
        out.set("audit_trail", AuditTrail.render(audit.of(AuditTrail.Kind.INCIDENT, i.incidentId)));
        ArrayNode updates = out.putArray("status_updates");
        for (StatusUpdate u : StatusUpdate.<StatusUpdate>list("incidentId = ?1 order by id", i.incidentId)) {
            ObjectNode uo = updates.addObject();
            uo.put("at_utc", Times.utc(u.recordedAt));
            uo.put("actor", u.actor);
            uo.put("message", u.message);
        }
        out.set("quarantines", linked.quarantines(i.incidentId));
        out.set("breakglass_grants", linked.grants(i.incidentId));

        Set<String> ids = new LinkedHashSet<>();
        ids.add(i.declaredDecisionId);
        timeline.stream().map(e -> e.decisionId).filter(d -> d != null).forEach(ids::add);
        return new Parts(out, ids);
    }

    private ObjectNode withDecisions(ObjectNode out, Set<String> ids) {
        ArrayNode ds = out.putArray("decisions");
        boolean allPresent = true;
        boolean allHashesMatch = true;
        for (String d : ids) {
            Optional<DecisionRecord> r = decisions.find(UUID.fromString(d));
            ObjectNode o = ds.addObject();
            o.put("decision_id", d);
            if (r.isEmpty()) {
                o.put("found", false);
                allPresent = false;
                continue;
            }
            DecisionRecord rec = r.get();
            JsonNode result = Json.read(rec.result());
            o.put("found", true);
            o.put("seq", rec.seq());
            o.put("at_utc", Times.utc(rec.ts()));
            o.put("caller", rec.caller());
            o.put("policy", rec.policy());
            o.put("allow", rec.allow());
            o.set("reasons", result == null ? Json.MAPPER.createArrayNode() : result.path("reasons"));
            o.set("obligations", result == null ? Json.MAPPER.createArrayNode() : result.path("obligations"));
            o.put("error_code", rec.errorCode());
            ObjectNode b = o.putObject("bundle");
            b.put("name", rec.bundleName());
            b.put("revision", rec.bundleRevision());
            b.put("sha256", rec.bundleSha256());
            o.put("hash", rec.hash());
            boolean matches = DecisionHash.hash(rec).equals(rec.hash());
            o.put("hash_matches", matches);
            allHashesMatch &= matches;
        }
        DecisionQueries.VerifyReport chain = decisions.verify();
        ObjectNode v = out.putObject("verification");
        v.put("ok", chain.ok() && allPresent && allHashesMatch);
        v.put("linked_decisions_found", allPresent);
        v.put("linked_decision_hashes_match", allHashesMatch);
        v.set("chain", Json.MAPPER.valueToTree(chain));
        return out;
    }
}
