package dev.portcullis.policies;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.portcullis.rego.bundle.DataMerger;
import dev.portcullis.rego.loader.PolicyFiles;
import dev.portcullis.rego.tester.RegoTest;
import dev.portcullis.rego.tester.RegoTests;
import dev.portcullis.rego.tester.TestResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import dev.portcullis.rego.host.HostBuiltins;

/**
 * Every {@code policies/**}{@code /*_test.rego} rule as a JUnit test named {@code package.test_name},
 * so {@code mvn test} lists and runs the runbook's Rego tests through the production Wasm path. A
 * policy that does not compile fails this factory; a tree without tests fails it too.
 */
class PolicyRegoTest {

    static final Path POLICIES = Path.of("policies");

    /** OPA's demo policy, kept out of the released bundle for the benchmarks (docs/benchmarks.md). */
    static final Path BENCH_POLICIES = Path.of("src/test/resources/bench-policies");

    @TestFactory
    Stream<DynamicContainer> policies() throws Exception {
        return suite(POLICIES);
    }

    @TestFactory
    Stream<DynamicContainer> benchPolicies() throws Exception {
        return suite(BENCH_POLICIES);
    }

    private static Stream<DynamicContainer> suite(Path root) throws Exception {
        PolicyFiles.Loaded loaded = PolicyFiles.load(List.of(root), true);
        RegoTests.Suite suite = RegoTests.prepare(loaded.sources(), DataMerger.merge(loaded.data()),
                RegoTests.Options.all(List.of(HostBuiltins.all())));
        assertFalse(suite.tests().isEmpty(), "no test_* rules under " + root.toAbsolutePath());
        Map<String, List<DynamicTest>> byPackage = new LinkedHashMap<>();
        for (RegoTest t : suite.tests()) {
            byPackage.computeIfAbsent(t.pkg().substring("data.".length()), k -> new ArrayList<>()).add(test(suite, t));
        }
        return byPackage.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    private static DynamicTest test(RegoTests.Suite suite, RegoTest t) {
        return DynamicTest.dynamicTest(displayName(t),
                t.location() == null ? null : Path.of(t.location().file()).toUri(), () -> {
                    TestResult r = suite.run(t);
                    switch (r.outcome()) {
                        case PASS -> { }
                        case SKIP -> org.junit.jupiter.api.Assumptions.abort("todo_test_ rule: " + t.fullName());
                        default -> fail(t.fullName() + " at " + t.location() + ": " + r.outcome() + " (" + r.message() + ")");
                    }
                });
    }

    static String displayName(RegoTest t) {
        return t.fullName().substring("data.".length());
    }
}
