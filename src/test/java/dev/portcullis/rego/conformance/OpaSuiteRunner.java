package dev.portcullis.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.styra.opa.wasm.OpaBuiltin;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs one OPA conformance case through Portcullis: compile the modules for the entrypoint the
 * query names, evaluate with opa-java-wasm, classify the outcome.
 *
 * <p>Classification (a gate cares most about the second):
 * <ul>
 *   <li>PASS: the same result set as OPA (or the expected error; for a strict-only builtin error,
 *       the undefined result OPA gives without strict errors).</li>
 *   <li>WRONG: any defined or undefined result that differs from OPA's, and any result where OPA
 *       raises an evaluation error.</li>
 *   <li>REFUSED: the compiler rejected the policy (unsupported feature or a compile error OPA does
 *       not report).</li>
 *   <li>ERROR: evaluation aborted, the compiler crashed, or the case exceeded its time.</li>
 *   <li>SKIPPED: the case is not convertible (its query is not an entrypoint evaluation).</li>
 * </ul>
 */
final class OpaSuiteRunner {

    enum Kind { PASS, WRONG, REFUSED, ERROR, SKIPPED }

    /** The outcome of a case: {@code reason} groups similar failures, {@code detail} is specific. */
    record Outcome(OpaSuiteCase c, Kind kind, String reason, String detail) {}

    private final OpaBuiltin.Builtin[] hostBuiltins;

    OpaSuiteRunner(OpaBuiltin.Builtin[] hostBuiltins) {
        this.hostBuiltins = hostBuiltins.clone();
    }

    Outcome run(OpaSuiteCase c) {
        if (!c.convertible()) {
            return new Outcome(c, Kind.SKIPPED, c.notConvertible(), c.query());
        }
        List<RegoCompiler.Source> sources = new ArrayList<>();
        for (int i = 0; i < c.modules().size(); i++) {
            sources.add(new RegoCompiler.Source("module-" + i + ".rego", c.modules().get(i)));
        }
        RegoCompiler.Result compiled;
        try {
            compiled = RegoCompiler.compile(sources, List.of(c.entrypoint()));
        } catch (CompileException e) {
            return new Outcome(c, Kind.REFUSED, refusalReason(e.diagnostics()),
                    e.diagnostics().stream().map(Diagnostic::toString).reduce((a, b) -> a + "; " + b).orElse(""));
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(c, Kind.ERROR, "compiler crash: " + e.getClass().getSimpleName(), String.valueOf(e));
        }

        String raw;
        try {
            OpaPolicy policy = OpaPolicy.builder().withPolicy(compiled.wasm()).addBuiltins(hostBuiltins).disableCompiler().build();
            policy.data(CanonicalJson.toString(c.data()));
            policy.entrypoint(c.entrypoint());
            raw = c.input() == null ? policy.evaluate() : policy.evaluate(CanonicalJson.toString(c.input()));
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            String msg = messages(e);
            if (c.wantsError() && !c.strictError() && msg.contains(c.wantError())) {
                return new Outcome(c, Kind.PASS, null, msg);
            }
            return new Outcome(c, Kind.ERROR, runtimeReason(msg), msg);
        }
        List<JsonNode> got = new ArrayList<>();
        try {
            for (JsonNode r : CanonicalJson.parse(raw)) {
                got.add(r.get("result"));
            }
        } catch (IOException | RuntimeException e) {
            return new Outcome(c, Kind.ERROR, "result is not a result set", raw);
        }

        if (c.wantsError()) {
            if (c.strictError() && got.isEmpty()) {
                return new Outcome(c, Kind.PASS, null, "undefined (strict-only error " + c.wantError() + ")");
            }
            return new Outcome(c, Kind.WRONG, "a result where OPA raises " + c.wantError(),
                    "want error " + c.wantError() + ", got " + raw);
        }
        String want = canonicalSet(c.wantResults(), c.sortBindings());
        String have = canonicalSet(got, c.sortBindings());
        if (want.equals(have)) {
            return new Outcome(c, Kind.PASS, null, have);
        }
        String reason = c.wantResults().isEmpty() ? "defined where OPA is undefined"
                : got.isEmpty() ? "undefined where OPA is defined" : "a different value";
        return new Outcome(c, Kind.WRONG, reason, "want " + want + ", got " + have);
    }

    // ---------------------------------------------------------------- comparison

    /** The result values as a sorted canonical list (a result set is a set). */
    private static String canonicalSet(List<JsonNode> values, boolean sortArrays) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : values) {
            JsonNode n = v == null ? null : ConformanceSuite.normalise(v);
            if (sortArrays && n != null && n.isArray()) {
                List<JsonNode> items = new ArrayList<>();
                n.forEach(items::add);
                items.sort(REGO_ORDER);
                ArrayNode a = CanonicalJson.MAPPER.createArrayNode();
                items.forEach(a::add);
                n = a;
            }
            out.add(n == null ? "<undefined>" : CanonicalJson.toString(n));
        }
        out.sort(String::compareTo);
        return out.toString();
    }

    /** Rego's order over JSON values: null < boolean < number < string < array < object. */
    static final Comparator<JsonNode> REGO_ORDER = new Comparator<>() {
        @Override
        public int compare(JsonNode a, JsonNode b) {
            int ra = rank(a);
            int rb = rank(b);
            if (ra != rb) {
                return Integer.compare(ra, rb);
            }
            switch (ra) {
                case 1:
                    return Boolean.compare(a.booleanValue(), b.booleanValue());
                case 2:
                    return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText()));
                case 3:
                    return CanonicalJson.compareKeys(a.textValue(), b.textValue());
                case 4: {
                    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                        int c = compare(a.get(i), b.get(i));
                        if (c != 0) {
                            return c;
                        }
                    }
                    return Integer.compare(a.size(), b.size());
                }
                case 5: {
                    Iterator<Map.Entry<String, JsonNode>> x = sorted(a).entrySet().iterator();
                    Iterator<Map.Entry<String, JsonNode>> y = sorted(b).entrySet().iterator();
                    while (x.hasNext() && y.hasNext()) {
                        Map.Entry<String, JsonNode> ex = x.next();
                        Map.Entry<String, JsonNode> ey = y.next();
                        int c = CanonicalJson.compareKeys(ex.getKey(), ey.getKey());
                        if (c == 0) {
                            c = compare(ex.getValue(), ey.getValue());
                        }
                        if (c != 0) {
                            return c;
                        }
                    }
                    return Boolean.compare(x.hasNext(), y.hasNext());
                }
                default:
                    return 0;
            }
        }

        private Map<String, JsonNode> sorted(JsonNode o) {
            Map<String, JsonNode> m = new TreeMap<>(CanonicalJson::compareKeys);
            o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
            return m;
        }

        private int rank(JsonNode n) {
            if (n.isNull()) {
                return 0;
            } else if (n.isBoolean()) {
                return 1;
            } else if (n.isNumber()) {
                return 2;
            } else if (n.isTextual()) {
                return 3;
            } else if (n.isArray()) {
                return 4;
            }
            return 5;
        }
    };

    // ---------------------------------------------------------------- reasons

    /**
     * A short reason that groups refusals: the most specific diagnostic (an "unsupported" one when
     * present) with names and positions taken out.
     */
    static String refusalReason(List<Diagnostic> diags) {
        Diagnostic d = diags.stream().filter(x -> x.code().equals("unsupported")).findFirst().orElse(diags.get(0));
        String msg = d.message();
        if (msg.startsWith(d.code() + ": ")) {
            msg = msg.substring(d.code().length() + 2);
        }
        msg = msg.replaceAll(" at [^ ]+:\\d+:\\d+", "")
                .replaceAll("^(multi-level rule head( in default rule)?) .*", "$1")
                .replaceAll("^rule head .* without value.*", "rule head with a key but no value")
                .replaceAll("^with target (data|input)\\b.*", "with target $1")
                .replaceAll("^with target [A-Za-z_][A-Za-z0-9_.]* .*", "with target a function or builtin");
        if (!msg.startsWith("builtin ") && !msg.startsWith("unsupported builtin")) {
            msg = msg.replaceAll("\\bvar [^ ]+", "var <v>")
                    .replaceAll("data(\\.[A-Za-z0-9_$\\[\\]\"]+)+", "data.<path>")
                    .replaceAll("`[^`]*`", "`…`")
                    .replaceAll("\\b\\d+\\b", "N");
        }
        if (msg.length() > 110) {
            msg = msg.substring(0, 107) + "...";
        }
        return d.code() + ": " + msg;
    }

    static String runtimeReason(String msg) {
        String m = msg.replaceAll("[^ ]+\\.rego:\\d+(:\\d+)?: ", "").replaceAll("\\(data(\\.[^ )]+)+\\)", "(…)");
        int nl = m.indexOf('\n');
        if (nl >= 0) {
            m = m.substring(0, nl);
        }
        return m.length() > 110 ? m.substring(0, 107) + "..." : m;
    }

    static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }
}
