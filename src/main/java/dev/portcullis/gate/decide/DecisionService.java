package dev.portcullis.gate.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.bundles.BundleRegistry;
import dev.portcullis.gate.bundles.BundleVersion;
import dev.portcullis.gate.decisions.DecisionDraft;
import dev.portcullis.gate.decisions.DecisionRecorder;
import dev.portcullis.gate.engine.Evaluation;
import dev.portcullis.gate.engine.PolicyEngine;
import dev.portcullis.gate.security.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The gate: finds the bundle serving a policy, evaluates, shapes the answer, and records it before
 * anyone sees it. Every path that is not a clean "allow" from a policy is a deny; a decision whose
 * record cannot be committed is a deny as well.
 */
@ApplicationScoped
public class DecisionService {
    public static final String NO_ACTIVE_BUNDLE = "no_active_bundle";
    public static final String UNDEFINED_DECISION = "undefined_decision";
    public static final String INVALID_DECISION = "invalid_decision";
    public static final String AUDIT_UNAVAILABLE = "audit_unavailable";
    public static final String INTERNAL_ERROR = "internal_error";
    /** Policy recorded for requests refused before their policy could be read. */
    public static final String UNPARSED_POLICY = "(unparsed request)";

    private static final Logger LOG = Logger.getLogger(DecisionService.class);

    /** Whether the caller wants the allow/deny envelope or OPA's Data API document. */
    public enum Shape { DECISION, DOCUMENT }

    private final BundleRegistry registry;
    private final PolicyEngine engine;
    private final DecisionRecorder recorder;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    DecisionService(BundleRegistry registry, PolicyEngine engine, DecisionRecorder recorder, MeterRegistry meters) {
        this.registry = registry;
        this.engine = engine;
        this.recorder = recorder;
        this.meters = meters;
    }

    /** Evaluates {@code policy} (slash-separated entrypoint) for a caller and records the decision. */
    public DecisionOutcome decide(Caller caller, String policy, String inputJson, Shape shape) {
        UUID id = UUID.randomUUID();
        long start = System.nanoTime();
        Optional<BundleVersion> bundle = registry.activeFor(policy);
        DecisionOutcome outcome;
        String resultJson = null;
        if (bundle.isEmpty()) {
            String code = registry.hasActive() ? Evaluation.UNKNOWN_POLICY : NO_ACTIVE_BUNDLE;
            String msg = registry.hasActive() ? "no active bundle has entrypoint " + policy : "no bundle is active";
            outcome = denied(id, null, code, msg, shape == Shape.DOCUMENT && code.equals(Evaluation.UNKNOWN_POLICY) ? 404 : 200);
        } else {
            BundleVersion b = bundle.get();
            try {
                Evaluation e = engine.evaluate(b, policy, inputJson);
                registry.shadowEvaluate(b.name(), policy, inputJson, b, e);
                resultJson = e.ok() ? (e.value() == null ? null : e.value().toString()) : null;
                outcome = shape == Shape.DECISION ? interpretDecision(id, b, e) : interpretDocument(id, b, e);
            } catch (RuntimeException ex) {
                // whatever went wrong, the answer is a recorded deny
                LOG.errorf(ex, "decision %s failed unexpectedly", id);
                outcome = denied(id, b, INTERNAL_ERROR, "internal error; see the server log", 500);
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        return record(caller, policy, inputJson, resultJson, outcome, micros);
    }

    /**
     * Evaluates a policy on an input the gate composed itself (the domain packages: facts from the
     * gate's own records plus the caller's identity), recording the decision like any other. The
     * caller of this method owns the input's trustworthiness; request bodies never reach it raw.
     */
    public DecisionOutcome decideComposed(Caller caller, String policy, JsonNode composedInput) {
        return decide(caller, policy, composedInput == null ? null : composedInput.toString(), Shape.DECISION);
    }

    /** Records a request refused before evaluation (oversized, too deep, malformed). */
    public DecisionOutcome rejectInput(Caller caller, String policy, InputRejectedException e) {
        DecisionOutcome o = denied(UUID.randomUUID(), null, e.code(), e.getMessage(), e.status());
        return record(caller, policy == null || policy.isBlank() ? UNPARSED_POLICY : policy, null, null, o, 0);
    }

    private DecisionOutcome record(Caller caller, String policy, String inputJson, String resultJson,
            DecisionOutcome o, long micros) {
        BundleVersion b = o.bundle();
        DecisionDraft draft = new DecisionDraft(o.decisionId(), caller.name(), policy,
                b == null ? null : b.name(), b == null ? null : b.revision(), b == null ? null : b.sha256(),
                inputJson, resultJson, o.allow(), o.errorCode(), micros);
        try {
            recorder.record(draft);
        } catch (RuntimeException ex) {
            LOG.warnf("decision %s not recorded: %s", o.decisionId(), ex.getMessage());
            o = new DecisionOutcome(o.decisionId(), false, List.of(), List.of(), null, b, AUDIT_UNAVAILABLE,
                    "the decision could not be recorded: " + ex.getMessage(), 503);
        }
        count(policy, o);
        return o;
    }

    /** Counters are cached: registering (building ids, sorting tags) on every decision costs more than counting. */
    private void count(String policy, DecisionOutcome o) {
        String outcome = o.errorCode() != null ? "error" : o.allow() ? "allow" : "deny";
        counters.computeIfAbsent(policy + '\n' + outcome, k -> Counter.builder("portcullis_decisions")
                .description("Decisions by policy and outcome").tag("policy", policy).tag("outcome", outcome)
                .register(meters)).increment();
        if (o.errorCode() != null) {
            counters.computeIfAbsent("\u0000" + o.errorCode(), k -> Counter.builder("portcullis_decision_errors")
                    .description("Denials forced by an error, by code").tag("code", o.errorCode())
                    .register(meters)).increment();
        }
    }

    /** The policy's value must be an object with a boolean allow; anything else denies. */
    private static DecisionOutcome interpretDecision(UUID id, BundleVersion b, Evaluation e) {
        if (!e.ok()) {
            return denied(id, b, e.errorCode(), e.errorMessage(), 200);
        }
        JsonNode v = e.value();
        if (v == null) {
            return denied(id, b, UNDEFINED_DECISION, "the policy produced no decision for this input", 200);
        }
        if (!v.isObject() || !v.path("allow").isBoolean()) {
            return denied(id, b, INVALID_DECISION, "the policy's value must be an object with a boolean allow", 200);
        }
        return new DecisionOutcome(id, v.get("allow").booleanValue(), list(v.get("reasons")),
                list(v.get("obligations")), v, b, null, null, 200);
    }

    private static DecisionOutcome interpretDocument(UUID id, BundleVersion b, Evaluation e) {
        if (!e.ok()) {
            int status = Evaluation.UNKNOWN_POLICY.equals(e.errorCode()) ? 404 : 500;
            return denied(id, b, e.errorCode(), e.errorMessage(), status);
        }
        JsonNode v = e.value();
        boolean allow = v != null && (v.isBoolean() && v.booleanValue()
                || v.isObject() && v.path("allow").isBoolean() && v.get("allow").booleanValue());
        return new DecisionOutcome(id, allow, List.of(), List.of(), v, b, null, null, 200);
    }

    private static List<JsonNode> list(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(out::add);
        } else if (n != null && !n.isNull()) {
            out.add(n);
        }
        return out;
    }

    private static DecisionOutcome denied(UUID id, BundleVersion b, String code, String message, int status) {
        return new DecisionOutcome(id, false, List.of(), List.of(), null, b, code, message, status);
    }
}
