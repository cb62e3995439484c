package dev.portcullis.gate.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.bundles.BundleRegistry;
import dev.portcullis.gate.bundles.BundleVersion;
import dev.portcullis.gate.bundles.Names;
import dev.portcullis.gate.json.JsonText;
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
    /** Policy recorded for requests naming a policy outside {@link Names#entrypoint}; the name itself is not stored. */
    public static final String INVALID_POLICY = "(invalid policy name)";
    /** The {@code policy} metric label of every decision whose policy no loaded bundle serves. */
    static final String UNKNOWN_LABEL = "unknown";

    private static final Logger LOG = Logger.getLogger(DecisionService.class);

    /** Whether the caller wants the allow/deny envelope or OPA's Data API document. */
    public enum Shape { DECISION, DOCUMENT }

    private final BundleRegistry registry;
    private final PolicyEngine engine;
    private final DecisionRecorder recorder;
    private final RequestParser parser;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    DecisionService(BundleRegistry registry, PolicyEngine engine, DecisionRecorder recorder, RequestParser parser,
            MeterRegistry meters) {
        this.registry = registry;
        this.engine = engine;
        this.recorder = recorder;
        this.parser = parser;
        this.meters = meters;
    }

    /**
     * Evaluates {@code policy} (slash-separated entrypoint) for a caller on {@code input} (null:
     * the empty object) and records the decision with exactly the input bytes evaluated.
     */
    public DecisionOutcome decide(Caller caller, String policy, JsonText input, Shape shape) {
        return decide(caller, policy, policy, List.of(), input, shape);
    }

    /**
     * OPA's Data API: the document at {@code path}, which is an entrypoint of an active bundle or lies
     * below one ({@code pkg/rule/key/...}: the entrypoint is evaluated and the rest of the path selects
     * into its value — object members by name, array elements by index; anything else is undefined).
     * The longest entrypoint that is a prefix of the path wins. The decision is recorded under the full
     * path with the selected value as its result; an undefined document is recorded as a deny.
     * Paths that are neither are answered as by {@link #decide} ({@code unknown_policy}, 404): this gate
     * evaluates compiled entrypoints only, so it cannot know what OPA would find there.
     */
    public DecisionOutcome decideDocument(Caller caller, String path, JsonText input) {
        if (Names.entrypoint(path)) {
            String[] segments = path.split("/");
            for (int n = segments.length - 1; n >= 1; n--) {
                String prefix = String.join("/", java.util.Arrays.copyOf(segments, n));
                if (registry.activeFor(prefix).isPresent()) {
                    List<String> below = List.of(segments).subList(n, segments.length);
                    return decide(caller, path, prefix, below, input, Shape.DOCUMENT);
                }
            }
        }
        return decide(caller, path, path, List.of(), input, Shape.DOCUMENT);
    }

    private DecisionOutcome decide(Caller caller, String policy, String entrypoint, List<String> below,
            JsonText input, Shape shape) {
        if (!Names.entrypoint(policy)) {
            return rejectInput(caller, policy, new InputRejectedException(RequestParser.INVALID_INPUT, 400,
                    "policy must be " + Names.ENTRYPOINT_RULE));
        }
        JsonText inputJson = input == null ? JsonText.EMPTY_OBJECT : input;
        UUID id = UUID.randomUUID();
        long start = System.nanoTime();
        Optional<BundleVersion> bundle = registry.activeFor(entrypoint);
        DecisionOutcome outcome;
        String resultJson = null;
        if (bundle.isEmpty()) {
            String code = registry.hasActive() ? Evaluation.UNKNOWN_POLICY : NO_ACTIVE_BUNDLE;
            String msg = registry.hasActive() ? "no active bundle has entrypoint " + policy : "no bundle is active";
            outcome = denied(id, null, code, msg, shape == Shape.DOCUMENT && code.equals(Evaluation.UNKNOWN_POLICY) ? 404 : 200);
        } else {
            BundleVersion b = bundle.get();
            try {
                Evaluation e = engine.evaluate(b, entrypoint, inputJson);
                registry.shadowEvaluate(b.name(), entrypoint, inputJson.toString(), b, e);
                if (!below.isEmpty() && e.ok()) {
                    e = new Evaluation(e.resultSetJson(), select(e.value(), below), null, null, e.nanos());
                }
                resultJson = e.ok() ? (e.value() == null ? null : e.value().toString()) : null;
                outcome = shape == Shape.DECISION ? interpretDecision(id, b, e) : interpretDocument(id, b, e);
            } catch (RuntimeException ex) {
                // whatever went wrong, the answer is a recorded deny
                LOG.errorf(ex, "decision %s failed unexpectedly", id);
                outcome = denied(id, b, INTERNAL_ERROR, "internal error; see the server log", 500);
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        return record(caller, policy, inputJson.toString(), resultJson, outcome, micros);
    }

    /**
     * Evaluates a policy on an input the gate composed itself (the domain packages: facts from the
     * gate's own records plus the caller's identity), recording the decision like any other. The
     * caller of this method owns the input's trustworthiness; request bodies never reach it raw.
     */
    public DecisionOutcome decideComposed(Caller caller, String policy, JsonNode composedInput) {
        JsonText input;
        try {
            // the same rules as a client's input: what the runtime could not read exactly is refused
            input = composedInput == null ? null : parser.validate(composedInput.toString());
        } catch (InputRejectedException e) {
            return rejectInput(caller, policy, e);
        }
        return decide(caller, policy, input, Shape.DECISION);
    }

    /**
     * Records a request refused before evaluation (oversized, too deep, malformed, a name outside
     * the rules). A policy name that breaks the rules is recorded as {@link #INVALID_POLICY}.
     */
    public DecisionOutcome rejectInput(Caller caller, String policy, InputRejectedException e) {
        DecisionOutcome o = denied(UUID.randomUUID(), null, e.code(), e.getMessage(), e.status());
        String recorded = policy == null || policy.isEmpty() ? UNPARSED_POLICY
                : Names.entrypoint(policy) ? policy : INVALID_POLICY;
        return record(caller, recorded, null, null, o, 0);
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

    /**
     * Counters are cached: registering (building ids, sorting tags) on every decision costs more
     * than counting. The policy label only ever takes an entrypoint of the bundle that decided, so
     * clients cannot create time series; everything else counts as {@value #UNKNOWN_LABEL}.
     */
    private void count(String policy, DecisionOutcome o) {
        String outcome = o.errorCode() != null ? "error" : o.allow() ? "allow" : "deny";
        BundleVersion b = o.bundle();
        String label = b != null && b.entrypoints().contains(policy) ? policy : UNKNOWN_LABEL;
        counters.computeIfAbsent(label + '\n' + outcome, k -> Counter.builder("portcullis_decisions")
                .description("Decisions by policy and outcome").tag("policy", label).tag("outcome", outcome)
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

    /** OPA's reference semantics for {@code value.a.b...}: a missing member or index is undefined (null). */
    static JsonNode select(JsonNode value, List<String> path) {
        JsonNode v = value;
        for (String key : path) {
            if (v == null) {
                return null;
            }
            if (v.isObject()) {
                v = v.get(key);
            } else if (v.isArray() && key.matches("0|[1-9][0-9]{0,9}") && Long.parseLong(key) < v.size()) {
                v = v.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return v;
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
