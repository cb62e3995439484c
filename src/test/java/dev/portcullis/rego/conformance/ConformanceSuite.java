package dev.portcullis.rego.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portcullis.rego.host.HostBuiltins;

/** Loads the YAML conformance cases and provides the shared compile/evaluate/compare steps. */
final class ConformanceSuite {

    static final int MINIMUM_CASES = 200;

    private static final Set<String> KEYS = Set.of("name", "host_builtins", "modules", "data", "input", "query", "want_result",
            "want_error", "want_compile_error", "want_compile_error_line", "note");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private ConformanceSuite() {}

    /** The case directory: the source tree when run from the project, else the test classpath copy. */
    static Path directory() {
        Path src = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")),
                "src", "test", "resources", "conformance");
        if (Files.isDirectory(src)) {
            return src;
        }
        URL url = ConformanceSuite.class.getResource("/conformance");
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                return Paths.get(url.toURI());
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("conformance case directory not found (looked at " + src + ")");
    }

    static List<ConformanceCase> load() {
        Path dir = directory();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ConformanceCase> cases = new ArrayList<>();
        for (Path f : files) {
            JsonNode doc;
            String file = f.getFileName().toString();
            try {
                doc = YAML.readTree(f.toFile());
            } catch (IOException e) {
                cases.add(broken(file, 0, "<unparseable file>", "YAML does not parse: " + e.getMessage()));
                continue;
            }
            JsonNode list = doc == null ? null : doc.get("cases");
            if (list == null || !list.isArray()) {
                cases.add(broken(file, 0, "<no cases>", "file has no top-level 'cases' list"));
                continue;
            }
            int i = 0;
            for (JsonNode c : list) {
                cases.add(parse(file, i++, c));
            }
        }
        // Names must be unique across all files (they name module files and output directories).
        Map<String, Long> counts = cases.stream().collect(Collectors.groupingBy(ConformanceCase::name, TreeMap::new,
                Collectors.counting()));
        List<ConformanceCase> out = new ArrayList<>();
        for (ConformanceCase c : cases) {
            if (c.problem() == null && counts.get(c.name()) > 1) {
                out.add(withProblem(c, "duplicate case name '" + c.name() + "'"));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private static ConformanceCase parse(String file, int index, JsonNode c) {
        String name = c.path("name").isTextual() ? c.get("name").textValue() : "<unnamed #" + index + ">";
        List<String> problems = new ArrayList<>();
        if (!c.isObject()) {
            return broken(file, index, name, "case is not a mapping");
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                problems.add("unknown key '" + k + "'");
            }
        }
        if (!c.path("name").isTextual() || c.get("name").textValue().isBlank()) {
            problems.add("missing 'name'");
        }
        List<String> modules = new ArrayList<>();
        JsonNode mods = c.get("modules");
        if (mods == null || !mods.isArray() || mods.isEmpty()) {
            problems.add("'modules' must be a non-empty list of strings");
        } else {
            for (JsonNode m : mods) {
                if (m.isTextual()) {
                    modules.add(m.textValue());
                } else {
                    problems.add("'modules' entries must be strings");
                }
            }
        }
        String query = c.path("query").isTextual() ? c.get("query").textValue() : null;
        if (query == null || query.isBlank()) {
            problems.add("missing 'query'");
        }
        JsonNode data = c.get("data");
        if (data == null || data.isNull()) {
            data = JsonNodeFactory.instance.objectNode();
        } else if (!data.isObject()) {
            problems.add("'data' must be a mapping");
        }
        JsonNode input = c.has("input") ? c.get("input") : null; // explicit `input: null` is JSON null
        JsonNode wantResult = c.has("want_result") ? c.get("want_result") : null;
        String wantError = c.has("want_error") ? c.get("want_error").asText() : null;
        String wantCompileError = c.has("want_compile_error") ? c.get("want_compile_error").asText() : null;
        Integer line = null;
        if (c.has("want_compile_error_line")) {
            if (!c.get("want_compile_error_line").canConvertToInt()) {
                problems.add("'want_compile_error_line' must be an integer");
            } else {
                line = c.get("want_compile_error_line").intValue();
            }
            if (wantCompileError == null) {
                problems.add("'want_compile_error_line' without 'want_compile_error'");
            }
        }
        int wants = (wantResult != null ? 1 : 0) + (wantError != null ? 1 : 0) + (wantCompileError != null ? 1 : 0);
        if (wants != 1) {
            problems.add("exactly one of want_result, want_error, want_compile_error is required (found " + wants + ")");
        }
        if (wantResult != null && !wantResult.isArray()) {
            problems.add("'want_result' must be a result set (a list, e.g. [{\"result\": true}] or [])");
        }
        String note = c.path("note").isTextual() ? c.get("note").textValue() : null;
        return new ConformanceCase(file, index, name, modules, data, input, query, wantResult, wantError,
                wantCompileError, line, note, problems.isEmpty() ? null : String.join("; ", problems),
                c.path("host_builtins").asBoolean(false));
    }

    private static ConformanceCase broken(String file, int index, String name, String problem) {
        return new ConformanceCase(file, index, name, List.of(), null, null, null, null, null, null, null, null, problem,
                false);
    }

    private static ConformanceCase withProblem(ConformanceCase c, String problem) {
        return new ConformanceCase(c.file(), c.index(), c.name(), c.modules(), c.data(), c.input(), c.query(),
                c.wantResult(), c.wantError(), c.wantCompileError(), c.wantCompileErrorLine(), c.note(), problem,
                c.hostBuiltins());
    }

    // ---- shared steps ----

    static RegoCompiler.Result compile(ConformanceCase c) {
        return RegoCompiler.compile(c.sources(), List.of(c.query()));
    }

    static String describe(CompileException e) {
        return e.diagnostics().stream().map(Diagnostic::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /**
     * Evaluates with opa-java-wasm. Without an input the policy's input is left unset: OpaPolicy
     * then parses an empty buffer, for which {@code opa_json_parse} returns NULL, so the policy
     * sees {@code input} as undefined (the same as the npm SDK passing input address 0).
     */
    static String evaluate(ConformanceCase c, byte[] wasm) {
        OpaPolicy policy = OpaPolicy.builder().withPolicy(wasm).addBuiltins(HostBuiltins.all()).build();
        policy.data(CanonicalJson.toString(c.data()));
        policy.entrypoint(c.query());
        return c.hasInput() ? policy.evaluate(CanonicalJson.toString(c.input())) : policy.evaluate();
    }

    /**
     * Canonical text for comparison: keys sorted, numbers normalised so that integral values are
     * compared as integers (2 and 2.0 are both "2") and others with trailing zeros stripped.
     */
    static String normalised(JsonNode n) {
        return CanonicalJson.toString(normalise(n));
    }

    static JsonNode normalise(JsonNode n) {
        JsonNodeFactory f = JsonNodeFactory.withExactBigDecimals(true);
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue().stripTrailingZeros();
            if (d.scale() <= 0) {
                return f.numberNode(d.toBigIntegerExact());
            }
            return f.numberNode(d);
        }
        if (n.isArray()) {
            var a = f.arrayNode();
            n.forEach(el -> a.add(normalise(el)));
            return a;
        }
        if (n.isObject()) {
            var o = f.objectNode();
            n.fields().forEachRemaining(e -> o.set(e.getKey(), normalise(e.getValue())));
            return o;
        }
        return n;
    }

    static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }
}
