package dev.portcullis.rego.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.rego.bundle.DataConflictException;
import dev.portcullis.rego.bundle.DataMerger;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.loader.PolicyFiles;
import dev.portcullis.rego.tester.CoverageReport;
import dev.portcullis.rego.tester.RegoTests;
import dev.portcullis.rego.tester.TestResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import dev.portcullis.rego.host.HostBuiltins;

/**
 * {@code test PATH...}: compiles every module (tests included) and evaluates each {@code test_*}
 * rule through the same Wasm path production uses (see {@link RegoTests}).
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Run policy tests: every rule whose name starts with test_ must evaluate to true"
                    + " (todo_test_ rules are reported as skipped).",
            "PATHs are scanned like `build`, including *_test.rego files; data.json files become base data.",
            "Exit 0 when every test passes, 1 when one fails, 2 on bad arguments, unreadable files or compile errors."
        })
final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, description = "Pretty format: print every test, not only failures.")
    boolean verbose;

    @Option(names = {"-f", "--format"}, defaultValue = "pretty", paramLabel = "FORMAT",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); junit writes JUnit XML.")
    TestReports.Format format;

    @Option(names = {"-r", "--run"}, paramLabel = "REGEX",
            description = "Run only the tests whose name (data.<package>.<test>) matches REGEX, as `opa test --run`.")
    String run;

    @Option(names = {"-c", "--coverage"},
            description = "Print a JSON line-coverage report (OPA's shape) instead of test results, when every test passes.")
    boolean coverage;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = ".rego files or directories.")
    List<Path> paths;

    @Override
    public Integer call() {
        Pattern filter = null;
        if (run != null) {
            try {
                filter = Pattern.compile(run);
            } catch (PatternSyntaxException e) {
                throw new Main.CliException(Main.USAGE, "invalid --run regular expression: " + e.getDescription()
                        + " in '" + run + "'");
            }
        }
        PolicyFiles.Loaded loaded = BuildCommand.load(paths, true);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RegoTests.Suite suite;
        CoverageReport report = coverage ? new CoverageReport() : null;
        try {
            ObjectNode data = DataMerger.merge(loaded.data());
            suite = RegoTests.prepare(loaded.sources(), data, new RegoTests.Options(filter, List.of(HostBuiltins.all()), report));
        } catch (CompileException e) {
            for (Diagnostic d : e.diagnostics()) {
                err.println(d);
            }
            err.println("error: compilation failed with " + e.diagnostics().size()
                    + (e.diagnostics().size() == 1 ? " error" : " errors"));
            return Main.USAGE;
        } catch (DataConflictException e) {
            throw new Main.CliException(Main.USAGE, e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            throw new Main.CliException(Main.USAGE, "compiler failed: " + e, e);
        }
        if (suite.tests().isEmpty()) {
            throw new Main.CliException(Main.USAGE, run == null ? "no test_* rules found in " + paths
                    : "no test matches --run '" + run + "' in " + paths);
        }
        List<TestResult> results = suite.runAll();
        boolean ok = results.stream().allMatch(r -> r.passed() || r.outcome() == TestResult.Outcome.SKIP);
        if (report != null && ok) {
            TestReports.printJson(report.toJson(loaded.sources()), out);
        } else if (report != null) {
            // as opa test --coverage: the failures instead of a report of a failing run
            TestReports.pretty(results, verbose, out);
        } else {
            TestReports.write(format, results, verbose, out);
        }
        return ok ? Main.OK : Main.EVAL_FAILED;
    }
}
