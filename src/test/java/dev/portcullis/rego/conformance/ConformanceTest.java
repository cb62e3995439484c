package dev.portcullis.rego.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * One dynamic test per YAML case: compile with {@link RegoCompiler}, then evaluate the entrypoint
 * with opa-java-wasm (OpaPolicy) and compare the result set, or expect a runtime abort, or expect
 * a compile diagnostic with a given code (and line).
 */
class ConformanceTest {

    /** Generous: Chicory interprets; this only stops a runaway (non-terminating) policy. */
    private static final Duration PER_CASE = Duration.ofSeconds(60);

    @TestFactory
    List<DynamicNode> conformance() {
        List<ConformanceCase> cases = ConformanceSuite.load();
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("suite has at least " + ConformanceSuite.MINIMUM_CASES + " cases", () ->
                assertTrue(cases.size() >= ConformanceSuite.MINIMUM_CASES,
                        "only " + cases.size() + " conformance cases in " + ConformanceSuite.directory())));
        for (ConformanceCase c : cases) {
            tests.add(DynamicTest.dynamicTest(c.displayName(), () -> run(c)));
        }
        return tests;
    }

    static void run(ConformanceCase c) {
        if (c.problem() != null) {
            fail("malformed case: " + c.problem());
        }
        try {
            Assertions.assertTimeoutPreemptively(PER_CASE, () -> runChecked(c),
                    () -> "case did not finish within " + PER_CASE.toSeconds() + "s");
        } catch (AssertionFailedError e) {
            // Name the case in the message: build reports show dynamic tests only by index.
            String msg = c.displayName() + ": " + e.getMessage();
            throw e.isExpectedDefined() || e.isActualDefined()
                    ? new AssertionFailedError(msg, e.getExpected() == null ? null : e.getExpected().getValue(),
                            e.getActual() == null ? null : e.getActual().getValue(), e.getCause())
                    : new AssertionFailedError(msg, e.getCause());
        }
    }

    private static void runChecked(ConformanceCase c) throws Exception {
        if (c.kind() == ConformanceCase.Kind.COMPILE_ERROR) {
            RegoCompiler.Result r;
            try {
                r = ConformanceSuite.compile(c);
            } catch (CompileException e) {
                List<Diagnostic> matching = e.diagnostics().stream()
                        .filter(d -> d.code().equals(c.wantCompileError())).toList();
                assertTrue(!matching.isEmpty(), () -> "expected a " + c.wantCompileError() + " diagnostic, got:"
                        + ConformanceSuite.describe(e));
                if (c.wantCompileErrorLine() != null) {
                    assertTrue(matching.stream().anyMatch(d -> d.pos().line() == c.wantCompileErrorLine()),
                            () -> "expected " + c.wantCompileError() + " at line " + c.wantCompileErrorLine() + ", got:"
                                    + ConformanceSuite.describe(e));
                }
                return;
            }
            fail("expected compile error " + c.wantCompileError() + " but compilation succeeded ("
                    + r.wasm().length + " bytes)");
        }

        RegoCompiler.Result compiled;
        try {
            compiled = ConformanceSuite.compile(c);
        } catch (CompileException e) {
            fail("compilation failed:" + ConformanceSuite.describe(e));
            return;
        }
        assertTrue(compiled.entrypoints().contains(c.query()),
                () -> "compiled module does not export entrypoint " + c.query() + " (has " + compiled.entrypoints() + ")");

        if (c.kind() == ConformanceCase.Kind.ERROR) {
            String result;
            try {
                result = ConformanceSuite.evaluate(c, compiled.wasm());
            } catch (RuntimeException | StackOverflowError e) {
                String msg = ConformanceSuite.messages(e);
                assertTrue(msg.contains(c.wantError()),
                        () -> "evaluation failed as expected, but the message does not contain '" + c.wantError()
                                + "': " + msg);
                return;
            }
            fail("expected evaluation to fail with '" + c.wantError() + "' but it returned " + result);
        }

        String raw;
        try {
            raw = ConformanceSuite.evaluate(c, compiled.wasm());
        } catch (RuntimeException | StackOverflowError e) {
            fail("evaluation failed: " + ConformanceSuite.messages(e), e);
            return;
        }
        JsonNode got;
        try {
            got = CanonicalJson.parse(raw);
        } catch (java.io.IOException e) {
            fail("result is not valid JSON: " + raw);
            return;
        }
        assertEquals(ConformanceSuite.normalised(c.wantResult()), ConformanceSuite.normalised(got),
                () -> "result set differs" + (c.hasInput() ? "" : " (input undefined)")
                        + (c.note() == null ? "" : "; note: " + c.note()));
    }

}
