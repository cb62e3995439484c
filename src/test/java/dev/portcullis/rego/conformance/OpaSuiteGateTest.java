package dev.portcullis.rego.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import com.styra.opa.wasm.OpaBuiltin;
import dev.portcullis.rego.conformance.OpaSuiteRunner.Kind;
import dev.portcullis.rego.conformance.OpaSuiteRunner.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import dev.portcullis.rego.host.HostBuiltins;

/**
 * The OPA-suite gate: every case of OPA's v1 conformance suite is compiled by Portcullis and
 * evaluated by opa-java-wasm. It fails on any wrong answer that is not in the (shrinking) list of
 * known wrong answers, on a listed case that is no longer wrong (remove it from the list), and when
 * fewer cases pass than the recorded baseline.
 *
 * <p>Reports go to {@code target/opa-conformance/} (summary.md, results.tsv). With
 * {@code -Dopa.suite.update=true} the run also regenerates the tables in {@code docs/conformance.md}
 * and raises the baseline to the current pass count (it never lowers it):
 * {@code ./mvnw -o test -Dtest=OpaSuiteGateTest -Dopa.suite.update=true}.
 */
class OpaSuiteGateTest {

    static final String BASELINE = "src/test/resources/opa-conformance-baseline.properties";
    static final String KNOWN_WRONG = "src/test/resources/opa-conformance-known-wrong.txt";
    static final String DOC = "docs/conformance.md";

    /** Chicory interprets; this only stops a runaway case. */
    private static final long CASE_TIMEOUT_SECONDS = 60;

    @Test
    void opaConformanceSuite() throws Exception {
        Path root = OpaSuiteLoader.projectRoot();
        Path dir = OpaSuiteLoader.directory();
        List<OpaSuiteCase> cases = OpaSuiteLoader.load(dir);
        long start = System.nanoTime();
        List<Outcome> outcomes = runAll(cases, hostBuiltins());
        double seconds = (System.nanoTime() - start) / 1e9;

        OpaSuiteReport report = new OpaSuiteReport(outcomes);
        report.writeTo(root.resolve("target/opa-conformance"));
        System.out.printf("OPA suite (%s): %s [%.1fs]%n", dir, report.totals(), seconds);
        System.out.println("OPA suite per-folder table: " + root.resolve("target/opa-conformance/summary.md"));

        Map<String, String> known = knownWrong(root.resolve(KNOWN_WRONG));
        if (!known.isEmpty()) {
            System.out.println();
            System.out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            System.out.println("!!! " + known.size() + " KNOWN WRONG ANSWERS tolerated by " + KNOWN_WRONG + ":");
            known.forEach((id, why) -> System.out.println("!!!   " + id + "  " + why));
            System.out.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            System.out.println();
        }

        int baseline = baseline(root.resolve(BASELINE));
        long passes = report.count(Kind.PASS);
        if (Boolean.getBoolean("opa.suite.update")) {
            update(root, report, baseline, passes);
            baseline = baseline(root.resolve(BASELINE));
        } else if (passes > baseline) {
            System.out.println("OPA suite: " + passes + " passes exceed the baseline " + baseline
                    + "; raise it with -Dopa.suite.update=true (also regenerates " + DOC + ")");
        }

        List<String> problems = new ArrayList<>();
        for (Outcome o : report.of(Kind.WRONG)) {
            if (!known.containsKey(o.c().id())) {
                problems.add("WRONG ANSWER " + o.c().id() + " (" + o.c().note() + "): " + o.reason() + ": " + o.detail());
            }
        }
        for (String id : known.keySet()) {
            Outcome o = outcomes.stream().filter(x -> x.c().id().equals(id)).findFirst().orElse(null);
            if (o == null) {
                problems.add(KNOWN_WRONG + " lists " + id + ", which is not a case of the suite: remove the line");
            } else if (o.kind() != Kind.WRONG) {
                problems.add(KNOWN_WRONG + " lists " + id + ", which is no longer wrong (" + o.kind()
                        + "): remove the line");
            }
        }
        if (passes < baseline) {
            problems.add("only " + passes + " cases pass, below the recorded baseline of " + baseline + " (" + BASELINE
                    + "); see target/opa-conformance/results.tsv");
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " OPA-suite gate failure(s):\n  " + String.join("\n  ", problems));
        }
    }

    /** Host builtins registered for every case, as the gate and the CLI register them. */
    static OpaBuiltin.Builtin[] hostBuiltins() {
        return HostBuiltins.all();
    }

    static List<Outcome> runAll(List<OpaSuiteCase> cases, OpaBuiltin.Builtin[] host) throws InterruptedException {
        OpaSuiteRunner runner = new OpaSuiteRunner(host);
        int threads = Integer.getInteger("opa.suite.threads", Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            // deep policies recurse deeply in the compiler and in the interpreter
            Thread t = new Thread(null, r, "opa-suite", 64L << 20);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (OpaSuiteCase c : cases) {
                futures.add(pool.submit(() -> runner.run(c)));
            }
            List<Outcome> out = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                try {
                    out.add(futures.get(i).get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    futures.get(i).cancel(true);
                    out.add(new Outcome(cases.get(i), Kind.ERROR, "timeout", "no outcome within "
                            + CASE_TIMEOUT_SECONDS + "s"));
                } catch (ExecutionException e) {
                    out.add(new Outcome(cases.get(i), Kind.ERROR, "harness: " + e.getCause().getClass().getSimpleName(),
                            String.valueOf(e.getCause())));
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code id  reason} per line; blank lines and lines starting with {@code #} are ignored. */
    static Map<String, String> knownWrong(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int sp = l.indexOf(' ');
            if (sp < 0) {
                throw new IllegalStateException(file + ": a line needs a case id and a reason: " + line);
            }
            out.put(l.substring(0, sp), l.substring(sp).strip());
        }
        return out;
    }

    static int baseline(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        String v = p.getProperty("pass");
        if (v == null) {
            throw new IllegalStateException(file + " has no 'pass' entry");
        }
        return Integer.parseInt(v.strip());
    }

    private static void update(Path root, OpaSuiteReport report, int baseline, long passes) throws IOException {
        if (passes > baseline) {
            Path f = root.resolve(BASELINE);
            String text = Files.readString(f, StandardCharsets.UTF_8).replaceAll("(?m)^pass\\s*=.*$", "pass=" + passes);
            Files.writeString(f, text, StandardCharsets.UTF_8);
            System.out.println("OPA suite: baseline raised from " + baseline + " to " + passes);
        }
        Path doc = root.resolve(DOC);
        Files.writeString(doc, report.updateDoc(Files.readString(doc, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        System.out.println("OPA suite: regenerated the tables in " + doc);
    }
}
