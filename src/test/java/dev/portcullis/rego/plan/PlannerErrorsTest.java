package dev.portcullis.rego.plan;

import static dev.portcullis.rego.plan.PlannerTestSupport.error;
import static dev.portcullis.rego.plan.PlannerTestSupport.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.check.RuleTree;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Compile errors found while planning. */
class PlannerErrorsTest {

    private static final List<String> NONE = List.of();

    private static Position at(int line, int col) {
        return new Position("t.rego", line, col);
    }

    private static void assertError(Diagnostic d, String code, int line, int col, String messagePart) {
        assertEquals(code, d.code(), d::toString);
        assertEquals(at(line, col), d.pos(), d::toString);
        assertTrue(d.message().contains(messagePart), d::toString);
    }

    @Test
    void unboundHeadVariableOfAPartialSet() {
        Diagnostic d = error(NONE, "package t\ns contains x if input.y\n");
        assertError(d, "rego_unsafe_var_error", 2, 12, "var x is unsafe");
    }

    @Test
    void unboundHeadVariableOfACompleteRule() {
        Diagnostic d = error(NONE, "package t\np := y if {\n\tinput.y\n}\n");
        assertError(d, "rego_unsafe_var_error", 2, 6, "var y is unsafe");
    }

    @Test
    void variableOnlyInANegationIsUnsafe() {
        Diagnostic d = error(NONE, "package t\np if {\nnot input.xs[i]\n}\n");
        assertError(d, "rego_unsafe_var_error", 3, 14, "var i is unsafe");
    }

    @Test
    void variableOnlyInABuiltinArgumentIsUnsafe() {
        Diagnostic d = error(NONE, "package t\np if {\ncount(x) > 0\n}\n");
        assertError(d, "rego_unsafe_var_error", 3, 7, "var x is unsafe");
    }

    @Test
    void unificationOfTwoUnboundVariablesIsUnsafe() {
        Diagnostic d = error(NONE, "package t\np if {\nx = y\n}\n");
        assertEquals("rego_unsafe_var_error", d.code());
        assertEquals(3, d.pos().line());
    }

    @Test
    void reassignmentIsACompileError() {
        Diagnostic d = error(NONE, "package t\np if {\nx := 1\nx := 2\n}\n");
        assertError(d, "rego_compile_error", 4, 1, "var x assigned above");
    }

    @Test
    void unknownFunction() {
        Diagnostic d = error(NONE, "package t\np if made_up_fn(input.x)\n");
        assertEquals("rego_type_error", d.code());
        assertEquals(2, d.pos().line());
        assertTrue(d.message().contains("undefined function made_up_fn"), d::toString);
    }

    @Test
    void unknownFunctionUnderData() {
        Diagnostic d = error(NONE, "package t\np if data.lib.nope(input.x)\n", "package lib\nyes := 1\n");
        assertEquals("rego_type_error", d.code());
        assertTrue(d.message().contains("undefined function data.lib.nope"), d::toString);
    }

    @Test
    void builtinArityMismatch() {
        Diagnostic d = error(NONE, "package t\np if startswith(input.x)\n");
        assertEquals("rego_type_error", d.code());
        assertTrue(d.message().contains("startswith: arity mismatch"), d::toString);
    }

    @Test
    void userFunctionArityMismatch() {
        Diagnostic d = error(NONE, "package t\nf(x) := x\np if f(input.a, input.b, input.c)\n");
        assertEquals("rego_type_error", d.code());
        assertEquals(3, d.pos().line());
        assertTrue(d.message().contains("arity mismatch"), d::toString);
    }

    @Test
    void ruleCalledAsAFunction() {
        Diagnostic d = error(NONE, "package t\nq := 1\np if q(input.a)\n");
        assertEquals("rego_type_error", d.code());
        assertTrue(d.message().contains("data.t.q is a rule, not a function"), d::toString);
    }

    @Test
    void functionReferencedWithoutArguments() {
        Diagnostic d = error(NONE, "package t\nf(x) := x\np if f\n");
        assertEquals("rego_type_error", d.code());
        assertTrue(d.message().contains("must be called with arguments"), d::toString);
    }

    @Test
    void unsupportedBuiltinNamesItsPosition() {
        Diagnostic d = error(NONE, "package t\np if {\n\tnet.lookup_ip_addr(input.x)\n}\n");
        assertEquals("unsupported", d.code());
        assertEquals(3, d.pos().line());
        assertEquals(2, d.pos().col());
        assertEquals("unsupported builtin net.lookup_ip_addr", d.message());
        assertTrue(d.toString().startsWith(d.pos() + ": "), d::toString);
    }

    @Test
    void unsupportedBuiltinWithAnOutputArgumentIsStillUnsupported() {
        // f(x, out): the table knows the arity, so this is not mistaken for an unsafe variable
        Diagnostic d = error(NONE, "package t\np if {\n\tnet.lookup_ip_addr(input.x, ips)\n\tips\n}\n");
        assertEquals("unsupported", d.code(), d::toString);
        assertEquals("unsupported builtin net.lookup_ip_addr", d.message());
    }

    @Test
    void builtinsRemovedFromRegoV1AreUndefined() {
        Diagnostic d = error(NONE, "package t\np if re_match(\"a\", input.x)\n");
        assertEquals("rego_type_error", d.code());
        assertEquals("undefined function re_match", d.message());
    }

    @Test
    void timeNowIsUnsupported() {
        Diagnostic d = error(NONE, "package t\nnow := time.now_ns()\n");
        assertEquals("unsupported", d.code());
    }

    @Test
    void directRecursion() {
        Diagnostic d = error(NONE, "package t\np if {\n\tp\n}\n");
        assertError(d, "rego_recursion_error", 2, 1, "data.t.p");
    }

    @Test
    void mutualRecursionIsReportedOnce() {
        Diagnostic d = error(NONE, "package t\np if q\nq if p\n");
        assertEquals("rego_recursion_error", d.code());
        assertTrue(d.message().contains("data.t.p") && d.message().contains("data.t.q"), d::toString);
    }

    @Test
    void recursiveFunction() {
        Diagnostic d = error(NONE, "package t\nf(x) := y if {\n\ty := f(x)\n}\n");
        assertError(d, "rego_recursion_error", 2, 1, "data.t.f");
    }

    @Test
    void recursionThroughThePackageDocument() {
        Diagnostic d = error(NONE, "package test\np if {\n\tx := data.test\n\tx.q\n}\nq := 1\n");
        assertEquals("rego_recursion_error", d.code(), d::toString);
        assertEquals(at(2, 1), d.pos());
        assertTrue(d.message().contains("data.test.p"), d::toString);
    }

    @Test
    void allErrorsAreCollected() {
        List<Diagnostic> ds = errors(NONE, "package t\np if {\n\tx > 1\n}\nq if made_up_fn(1)\n");
        assertEquals(2, ds.size(), ds::toString);
        assertEquals(Set.of("rego_unsafe_var_error", "rego_type_error"),
                Set.of(ds.get(0).code(), ds.get(1).code()));
    }

    @Test
    void errorsInSeveralDefinitionsOfOneRuleAreAllReported() {
        List<Diagnostic> ds = errors(NONE, "package t\np if made_up_a(1)\np if made_up_b(1)\n");
        assertEquals(2, ds.size(), ds::toString);
    }

    @Test
    void earlierDiagnosticsAreKept() {
        List<Diagnostic> diags = new ArrayList<>();
        RuleTree tree = RuleTree.build(PlannerTestSupport.parse("package t\np := 1\np contains 2\nq if x\n"), diags);
        assertEquals(1, diags.size());
        CompileException e = assertThrows(CompileException.class, () -> Planner.plan(tree, List.of(), diags));
        assertEquals(2, e.diagnostics().size(), e::getMessage);
        assertEquals("rego_type_error", e.diagnostics().get(0).code());
        assertEquals("rego_unsafe_var_error", e.diagnostics().get(1).code());
    }

    @Test
    void countOfANumberIsATypeError() {
        Diagnostic d = error(NONE, "package t\nn := count(1)\n");
        assertError(d, "rego_type_error", 2, 12, "count: invalid argument 1: got number");
    }

    @Test
    void addingAStringIsATypeError() {
        Diagnostic d = error(NONE, "package t\nn := 1 + \"a\"\n");
        assertEquals("rego_type_error", d.code());
        assertEquals(at(2, 10), d.pos());
        assertTrue(d.message().contains("invalid argument 2: got string, want number"), d::toString);
    }

    @Test
    void entrypointNamingAFunctionIsRejected() {
        Diagnostic d = error(List.of("t/f"), "package t\nf(x) := x\n");
        assertEquals("rego_compile_error", d.code());
        assertTrue(d.message().contains("entrypoint t/f is a function"), d::toString);
    }

    @Test
    void recursionThroughAParentPackageDocument() {
        List<Diagnostic> ds = errors(NONE, "package a.b\np if {\n\tx := data.a\n\tx.b.q\n}\nq := 1\n");
        assertEquals(1, ds.size(), ds::toString);
        assertEquals("rego_recursion_error", ds.get(0).code());
        assertTrue(ds.get(0).message().contains("data.a.b.p -> data.a -> data.a.b -> data.a.b.p"), ds::toString);
    }

    @Test
    void independentCyclesAreEachReported() {
        List<Diagnostic> ds = errors(NONE, "package t\np if q\nq if p\nr if s\ns if r\n");
        assertEquals(2, ds.size(), ds::toString);
        assertEquals(at(2, 1), ds.get(0).pos());
        assertEquals(at(4, 1), ds.get(1).pos());
    }

    @Test
    void unboundHeadKeyOfAPartialObject() {
        Diagnostic d = error(NONE, "package t\no[k] := 1 if true\n");
        assertError(d, "rego_unsafe_var_error", 2, 3, "var k is unsafe");
    }

    @Test
    void sprintfArgumentsMustBeAnArray() {
        Diagnostic d = error(NONE, "package t\nm := sprintf(\"%v\", 1)\n");
        assertError(d, "rego_type_error", 2, 20, "sprintf: invalid argument 2: got number, want array");
    }
}
