package dev.portcullis.rego.plan;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.portcullis.rego.check.RuleTree;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.syntax.Module;
import dev.portcullis.rego.syntax.Parser;
import java.util.ArrayList;
import java.util.List;

/** Parses modules (t.rego, m1.rego, m2.rego...), builds the rule tree and plans. */
final class PlannerTestSupport {
    private PlannerTestSupport() {}

    static List<Module> parse(String... sources) {
        List<Module> mods = new ArrayList<>();
        for (int i = 0; i < sources.length; i++) {
            mods.add(Parser.parse(i == 0 ? "t.rego" : "m" + i + ".rego", sources[i]));
        }
        return mods;
    }

    static Ir.Program plan(List<String> entrypoints, String... sources) {
        List<Diagnostic> diags = new ArrayList<>();
        RuleTree tree = RuleTree.build(parse(sources), diags);
        assertTrue(diags.isEmpty(), diags::toString);
        try {
            return Planner.plan(tree, entrypoints, diags);
        } catch (CompileException e) {
            return fail("unexpected compile errors:\n" + e.getMessage());
        }
    }

    static List<Diagnostic> errors(List<String> entrypoints, String... sources) {
        List<Diagnostic> diags = new ArrayList<>();
        RuleTree tree = RuleTree.build(parse(sources), diags);
        CompileException e = assertThrows(CompileException.class, () -> Planner.plan(tree, entrypoints, diags));
        return e.diagnostics();
    }

    static Diagnostic error(List<String> entrypoints, String... sources) {
        List<Diagnostic> ds = errors(entrypoints, sources);
        if (ds.size() != 1) {
            fail("expected one diagnostic, got " + ds);
        }
        return ds.get(0);
    }

    static Ir.Func func(Ir.Program p, String name) {
        for (Ir.Func f : p.funcs()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return fail("no function " + name + " in " + p.funcs().stream().map(Ir.Func::name).toList());
    }
}
