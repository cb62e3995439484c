package dev.portcullis.rego.plan;

import static dev.portcullis.rego.plan.PlannerTestSupport.*;

import dev.portcullis.rego.check.RuleTree;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeScratchTest {
    static void probe(String label, List<String> eps, String... src) {
        List<Diagnostic> diags = new ArrayList<>();
        try {
            RuleTree tree = RuleTree.build(parse(src), diags);
            Ir.Program p = Planner.plan(tree, eps, diags);
            System.out.println("PROBE " + label + ": OK " + p.funcs().stream().map(Ir.Func::name).toList());
        } catch (CompileException e) {
            System.out.println("PROBE " + label + ": ERR " + e.getMessage().replace("\n", " | "));
        } catch (Throwable t) {
            System.out.println("PROBE " + label + ": CRASH " + t);
        }
    }

    @Test
    void probes() {
        List<String> n = List.of();
        probe("wild-in-not", n, "package t\np if not input.xs[_] == 1\n");
        probe("some-unbound", n, "package t\np if {\nsome x\nx > 1\n}\n");
        probe("some-then-assign", n, "package t\np if {\nsome x\nx := 1\n}\n");
        probe("parent-doc-rec", List.of("a/b/p"), "package a.b\np if data.a.b.q\nq if {\nx := data.a\nx.b.q\n}\n");
        probe("alias-rec", n, "package test\nimport data.test as me\np if me.q\nq if me.p\n");
        probe("in-unbound", n, "package t\np if {\nx in input.xs\n}\n");
        probe("default-f-arity", n, "package t\ndefault f(_, _) := 0\nf(x) := x\n");
        probe("sprintf-type", n, "package t\nm := sprintf(\"%v\", 1)\n");
        probe("arg-shadow-rule", List.of("t/r"), "package t\nq := 1\nf(q) := q + 1\nr := f(5)\n");
        probe("comp-shadow", n, "package t\np if {\nx := 1\nys := [y | x := 2; y := x]\ncount(ys) > 0\n}\n");
        probe("nested-compr-unsafe", n, "package t\np := [y | y := z]\n");
        probe("every-unsafe", n, "package t\np if {\nevery x in input.xs { x > z }\n}\n");
        probe("with-unsafe", n, "package t\nq if input.a\np if {\nq with input as v\n}\n");
        probe("entry-missing", List.of("nope/x"), "package t\np := 1\n");
        probe("entry-empty", List.of(""), "package t\np := 1\n");
        probe("data-rule-call", n, "package t\nf(x) := x\np := data.t.f(1)\n");
        probe("func-as-value-via-data", n, "package t\nf(x) := x\np := data.t.f\n");
        probe("neg-assign", n, "package t\np if {\nnot x := 1\n}\n");
        probe("object-compr-unsafe", n, "package t\np := {k: v | k := input.a}\n");
        probe("set-head-wild", n, "package t\ns contains _ if true\n");
        probe("rec-else", n, "package t\np := 1 if input.a\nelse := q\nq := p\n");
        probe("rec-default", n, "package t\ndefault p := 1\np := q\nq := p\n");
        probe("rule-conflict-plus-plan", n, "package t\np := 1\np contains x if input.a\n");
        probe("double-rec", n, "package t\np if q\nq if p\nr if s\ns if r\n");
        probe("fn-outarg-user", n, "package t\nf(x) := x\np if {\nf(1, y)\ny == 1\n}\n");
        probe("rule-named-count", n, "package t\ncount := 5\np if count(input.x) > 1\n");
        probe("unsafe-in-fn-head", n, "package t\nf(x) := y\n");
        probe("not-x", n, "package t\np if {\nnot x\n}\n");
        probe("assign-to-ref", n, "package t\np if {\ninput.a := 1\n}\n");
        probe("reassign-arg", n, "package t\nf(x) := y if {\nx := 1\ny := 2\n}\n");
        probe("unify-arr", n, "package t\np if {\n[x, 1] = [input.a, y]\nx == y\n}\n");
    }
}
