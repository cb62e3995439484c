package dev.portcullis.rego.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.bundle.DataConflictException;
import dev.portcullis.rego.bundle.DataMerger;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.syntax.Module;
import dev.portcullis.rego.syntax.Parser;
import dev.portcullis.rego.syntax.Rule;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code test PATH...}: compiles every module (tests included) and evaluates each rule named
 * {@code test_*} through the same Wasm path production uses. A test passes when its value is
 * {@code true}; false, undefined and evaluation errors fail it.
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Run policy tests: every complete rule whose name starts with test_ must evaluate to true.",
            "PATHs are scanned like `build`, including *_test.rego files; data.json files become base data."
        })
final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Print every test, not only failures.")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".rego files or directories.")
    List<Path> paths;

    @Override
    public Integer call() {
        List<RegoCompiler.Source> sources = new ArrayList<>();
        List<DataMerger.Placement> data = new ArrayList<>();
        for (Path p : paths) {
            BuildCommand.collect(p, sources, data, true);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TreeSet<String> tests = new TreeSet<>();
        try {
            for (RegoCompiler.Source s : sources) {
                Module m = Parser.parse(s.file(), s.text());
                for (Rule r : m.rules()) {
                    if (r.name().startsWith("test_") && r.kind() == Rule.Kind.COMPLETE) {
                        tests.add(String.join("/", m.pkg().path()) + "/" + r.name());
                    }
                }
            }
            if (tests.isEmpty()) {
                throw new Main.CliException(Main.USAGE, "no test_* rules found in " + paths);
            }
            ObjectNode merged = DataMerger.merge(data);
            RegoCompiler.Result compiled = RegoCompiler.compile(sources, List.copyOf(tests));
            return run(compiled, CanonicalJson.toString(merged), out);
        } catch (CompileException e) {
            for (Diagnostic d : e.diagnostics()) {
                err.println(d);
            }
            err.println("error: compilation failed with " + e.diagnostics().size() + " error(s)");
            return Main.USAGE;
        } catch (DataConflictException e) {
            throw new Main.CliException(Main.USAGE, e.getMessage(), e);
        }
    }

    private int run(RegoCompiler.Result compiled, String dataJson, PrintWriter out) {
        ObjectMapper json = new ObjectMapper();
        OpaPolicy policy = OpaPolicy.builder().withPolicy(compiled.wasm()).build();
        policy.data(dataJson);
        int passed = 0;
        int failed = 0;
        for (String test : compiled.entrypoints()) {
            String name = "data." + test.replace('/', '.');
            String verdict;
            try {
                policy.entrypoint(test);
                JsonNode rs = json.readTree(policy.evaluate());
                JsonNode v = rs.isArray() && rs.size() == 1 ? rs.get(0).get("result") : null;
                verdict = v != null && v.isBoolean() && v.booleanValue() ? null
                        : v == null ? "undefined" : "got " + v;
            } catch (Exception e) {
                verdict = "error: " + e.getMessage();
            }
            if (verdict == null) {
                passed++;
                if (verbose) {
                    out.println("PASS " + name);
                }
            } else {
                failed++;
                out.println("FAIL " + name + " (" + verdict + ")");
            }
        }
        out.println("policy tests: " + passed + " passed, " + failed + " failed");
        return failed == 0 ? Main.OK : Main.EVAL_FAILED;
    }
}
