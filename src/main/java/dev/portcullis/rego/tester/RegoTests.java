package dev.portcullis.rego.tester;

import com.fasterxml.jackson.databind.JsonNode;
import com.styra.opa.wasm.OpaBuiltin;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import dev.portcullis.rego.syntax.Module;
import dev.portcullis.rego.syntax.Parser;
import dev.portcullis.rego.syntax.Rule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs Rego tests the way {@code opa test} does, through the production path: every module (tests
 * included) is compiled to one Wasm module with an entrypoint per test, and each test is evaluated
 * by opa-java-wasm. A test passes when its value is {@code true}; a partial-object test passes when
 * every value in it is {@code true}.
 */
public final class RegoTests {

    public static final String TEST_PREFIX = "test_";
    public static final String SKIP_PREFIX = "todo_test_";

    /** The suffix of the rule a duplicate definition is renamed to; not a name users write. */
    private static final String DUPLICATE_MARK = "__portcullis_definition_";

    /**
     * @param run      only tests whose {@link RegoTest#fullName()} this finds (like {@code opa test --run}); null = all
     * @param builtins host builtins to register (e.g. {@code HostBuiltins.all()})
     * @param coverage when not null, a coverage build whose hits this report collects
     */
    public record Options(Pattern run, List<OpaBuiltin.Builtin> builtins, CoverageReport coverage) {
        public Options {
            builtins = List.copyOf(builtins);
        }

        public static Options all(List<OpaBuiltin.Builtin> builtins) {
            return new Options(null, builtins, null);
        }
    }

    /**
     * Chicory's ahead-of-time compilation of a module to JVM bytecode costs about 3 s once and then
     * evaluates ~15x faster than its interpreter (about 3 ms against 40-60 ms per test for the
     * runbook's policies): worth it from this many tests on.
     */
    private static final int COMPILE_AT = 64;

    private RegoTests() {}

    /**
     * Compiles {@code sources} with an entrypoint per selected test and loads the module.
     *
     * @throws CompileException when a module does not parse or compile
     */
    public static Suite prepare(List<RegoCompiler.Source> sources, JsonNode data, Options options) {
        List<RegoCompiler.Source> rewritten = new ArrayList<>(sources);
        List<RegoTest> tests = discover(rewritten);
        List<RegoTest> selected = new ArrayList<>();
        for (RegoTest t : tests) {
            if (options.run() == null || options.run().matcher(t.fullName()).find()) {
                selected.add(t);
            }
        }
        List<String> entrypoints = selected.stream().filter(t -> !t.skip()).map(RegoTest::entrypoint).distinct().toList();
        OpaPolicy policy = null;
        if (!entrypoints.isEmpty()) {
            RegoCompiler.Result compiled = RegoCompiler.compile(rewritten, entrypoints, options.coverage() != null);
            List<OpaBuiltin.Builtin> builtins = new ArrayList<>(options.builtins());
            if (options.coverage() != null) {
                builtins.add(options.coverage().recorder());
            }
            OpaPolicy.Builder builder = OpaPolicy.builder()
                    .withPolicy(compiled.wasm())
                    .addBuiltins(builtins.toArray(OpaBuiltin.Builtin[]::new));
            if (entrypoints.size() < COMPILE_AT) {
                builder.disableCompiler();
            }
            policy = builder.build();
            policy.data(CanonicalJson.toString(data));
        }
        return new Suite(selected, policy);
    }

    /**
     * Finds the tests of {@code sources} in source order; a test name defined more than once in a
     * package has its later definitions renamed in {@code sources} (replaced in place), so that
     * each definition is evaluated alone, as {@code opa test} does.
     */
    static List<RegoTest> discover(List<RegoCompiler.Source> sources) {
        List<Diagnostic> diags = new ArrayList<>();
        List<RegoTest> tests = new ArrayList<>();
        Map<String, Integer> definitions = new HashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            RegoCompiler.Source s = sources.get(i);
            Module m;
            try {
                m = Parser.parse(s.file(), s.text());
            } catch (CompileException e) {
                diags.addAll(e.diagnostics());
                continue;
            }
            String pkg = "data." + String.join(".", m.pkg().path());
            String pkgPath = String.join("/", m.pkg().path());
            Map<Position, String> renames = new LinkedHashMap<>();
            for (Rule r : m.rules()) {
                boolean skip = r.name().startsWith(SKIP_PREFIX);
                if (!(r.name().startsWith(TEST_PREFIX) || skip) || r.kind() == Rule.Kind.FUNCTION
                        || r.kind() == Rule.Kind.DEFAULT) {
                    continue;
                }
                String key = pkg + "." + r.name();
                int n = definitions.merge(key, 1, Integer::sum) - 1;
                String ruleName = r.name();
                String shown = r.name();
                if (n > 0 && r.kind() == Rule.Kind.COMPLETE) {
                    ruleName = r.name() + DUPLICATE_MARK + n;
                    shown = String.format("%s#%02d", r.name(), n);
                    renames.put(r.pos(), ruleName);
                } else if (n > 0) {
                    continue; // partial set/object definitions add up to one document, as in OPA
                }
                tests.add(new RegoTest(pkg, shown, pkgPath + "/" + ruleName, r.pos(), skip, r.kind() == Rule.Kind.PARTIAL_OBJECT));
            }
            if (!renames.isEmpty()) {
                sources.set(i, new RegoCompiler.Source(s.file(), rename(s.text(), renames, diags)));
            }
        }
        if (!diags.isEmpty()) {
            throw new CompileException(diags);
        }
        return tests;
    }

    /** Replaces the rule name at each position (where the rule's head starts) by its new name. */
    private static String rename(String text, Map<Position, String> renames, List<Diagnostic> diags) {
        List<Integer> lineStarts = new ArrayList<>();
        lineStarts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
        StringBuilder sb = new StringBuilder(text);
        // right to left, so earlier offsets stay valid
        List<Map.Entry<Position, String>> entries = new ArrayList<>(renames.entrySet());
        entries.sort((a, b) -> a.getKey().line() != b.getKey().line()
                ? Integer.compare(b.getKey().line(), a.getKey().line())
                : Integer.compare(b.getKey().col(), a.getKey().col()));
        for (Map.Entry<Position, String> e : entries) {
            Position p = e.getKey();
            String oldName = e.getValue().substring(0, e.getValue().indexOf(DUPLICATE_MARK));
            int at = lineStarts.get(p.line() - 1) + p.col() - 1;
            int end = at + oldName.length();
            boolean nameHere = end <= text.length() && text.startsWith(oldName, at)
                    && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_');
            if (!nameHere) {
                diags.add(new Diagnostic(p, "rego_compile_error",
                        "cannot run duplicate test definition " + oldName + " on its own"));
                continue;
            }
            sb.replace(at, end, e.getValue());
        }
        return sb.toString();
    }

    /** Compiled tests, ready to run one by one (not thread-safe: one Wasm instance). */
    public static final class Suite {
        private final List<RegoTest> tests;
        private final OpaPolicy policy;

        private Suite(List<RegoTest> tests, OpaPolicy policy) {
            this.tests = List.copyOf(tests);
            this.policy = policy;
        }

        public List<RegoTest> tests() {
            return tests;
        }

        public List<TestResult> runAll() {
            return tests.stream().map(this::run).toList();
        }

        public TestResult run(RegoTest test) {
            if (test.skip()) {
                return new TestResult(test, TestResult.Outcome.SKIP, "todo", 0);
            }
            long t0 = System.nanoTime();
            String resultSet;
            try {
                policy.entrypoint(test.entrypoint());
                resultSet = policy.evaluate();
            } catch (RuntimeException | StackOverflowError e) {
                return new TestResult(test, TestResult.Outcome.ERROR, message(e), System.nanoTime() - t0);
            }
            long dt = System.nanoTime() - t0;
            JsonNode rs;
            try {
                rs = CanonicalJson.parse(resultSet);
            } catch (IOException e) {
                return new TestResult(test, TestResult.Outcome.ERROR, "unreadable result: " + resultSet, dt);
            }
            JsonNode value = rs.isArray() && rs.size() == 1 ? rs.get(0).get("result") : null;
            String why = value == null ? "undefined" : test.cases() ? caseVerdict(value) : verdict(value);
            return new TestResult(test, why == null ? TestResult.Outcome.PASS : TestResult.Outcome.FAIL, why, dt);
        }

        /** null when the value passes; otherwise what was wrong with it. */
        private static String verdict(JsonNode value) {
            return value.isBoolean() && value.booleanValue() ? null : "got " + CanonicalJson.toString(value);
        }

        /** A partial-object test: every case (nested objects: every leaf) must be true. */
        private static String caseVerdict(JsonNode value) {
            if (!value.isObject()) {
                return verdict(value);
            }
            List<String> failing = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String sub = caseVerdict(e.getValue());
                if (sub != null) {
                    failing.add(e.getKey() + ": " + sub);
                }
            }
            return failing.isEmpty() ? null : "failing cases: " + String.join("; ", failing);
        }

        static String message(Throwable e) {
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
                String m = t.getMessage();
                if (m == null || m.isBlank()) {
                    m = t.getClass().getSimpleName();
                }
                if (sb.indexOf(m) < 0) {
                    if (sb.length() > 0) {
                        sb.append(": ");
                    }
                    sb.append(m);
                }
            }
            return sb.toString();
        }
    }
}
