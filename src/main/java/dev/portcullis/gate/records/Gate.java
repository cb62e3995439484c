package dev.portcullis.gate.records;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.decide.DecisionService;
import dev.portcullis.gate.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Asks a runbook policy about a change the domain wants to make and enforces the answer: anything
 * but a clean allow throws {@link GateDeniedException}, so the caller's transaction rolls back and
 * nothing changes. The decision is recorded either way (by {@link DecisionService}).
 */
@ApplicationScoped
public class Gate {
    private static final Logger LOG = Logger.getLogger(Gate.class);

    private final DecisionService decisions;
    private final AuditTrail audit;

    Gate(DecisionService decisions, AuditTrail audit) {
        this.decisions = decisions;
        this.audit = audit;
    }

    /**
     * Like {@link #require(Caller, String, ObjectNode)}, and a denied attempt on an existing record
     * is written to that record's audit trail (in a transaction of its own, since the caller's
     * rolls back), so the incident's evidence shows what was refused and why.
     */
    public DecisionOutcome require(Caller caller, String policy, ObjectNode input, AuditTrail.Kind kind,
            String recordId, String incidentId, String action) {
        DecisionOutcome o = ask(caller, policy, input);
        if (!o.allow()) {
            ObjectNode change = Json.object();
            change.put("policy", policy);
            change.set("reasons", Json.MAPPER.valueToTree(o.reasons()));
            if (o.errorCode() != null) {
                change.put("error", o.errorCode());
            }
            try {
                QuarkusTransaction.requiringNew().run(() -> audit.append(kind, recordId, incidentId, caller, Times.now(),
                        "denied: " + action, change, o.decisionId()));
            } catch (RuntimeException e) {
                // the denial stands and its decision is recorded; only the trail entry is missing
                LOG.warnf("denied %s on %s/%s not written to the audit trail: %s", action, kind.column(), recordId,
                        e.getMessage());
            }
            throw new GateDeniedException(o);
        }
        return o;
    }

    /** The decision for {@code input}; throws unless it allows. */
    public DecisionOutcome require(Caller caller, String policy, ObjectNode input) {
        DecisionOutcome o = ask(caller, policy, input);
        if (!o.allow()) {
            throw new GateDeniedException(o);
        }
        return o;
    }

    /** The decision for {@code input}, allow or deny, recorded. */
    public DecisionOutcome ask(Caller caller, String policy, ObjectNode input) {
        return decisions.decideComposed(caller, policy, input);
    }

    /** A fresh policy input carrying the authenticated caller as {@code actor}: the only actor there is. */
    public static ObjectNode input(Caller caller) {
        ObjectNode in = Json.MAPPER.createObjectNode();
        ObjectNode actor = in.putObject("actor");
        actor.put("id", caller.name());
        ArrayNode roles = actor.putArray("api_roles");
        caller.roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().forEach(roles::add);
        return in;
    }
}
