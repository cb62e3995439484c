package dev.portcullis.rego;

import dev.portcullis.rego.check.RuleTree;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import dev.portcullis.rego.plan.Ir;
import dev.portcullis.rego.plan.Planner;
import dev.portcullis.rego.syntax.Module;
import dev.portcullis.rego.syntax.Parser;
import dev.portcullis.rego.wasm.CodeGen;
import dev.portcullis.rego.wasm.RuntimeModule;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiler's public entry point: Rego sources in, an OPA-ABI Wasm module out.
 * Stages: syntax (parse) → check → plan → wasm (codegen + link).
 */
public final class RegoCompiler {

    /** A Rego module's file name (used in diagnostics) and text. */
    public record Source(String file, String text) {}

    /** The linked module and the entrypoints it exports, in id order (id = index). */
    public record Result(byte[] wasm, List<String> entrypoints) {}

    private RegoCompiler() {}

    /**
     * Compiles {@code modules} for the given slash-separated entrypoints ({@code pkg/path/rule}).
     *
     * @throws CompileException with every diagnostic found, when the policy is invalid or unsupported
     */
    public static Result compile(List<Source> modules, List<String> entrypoints) {
        return compile(modules, entrypoints, false);
    }

    /**
     * As {@link #compile(List, List)}; with {@code coverage} the module reports every expression
     * and rule head it reaches to the host builtin {@link dev.portcullis.rego.plan.CoverageHook#BUILTIN}
     * (for {@code portcullis test --coverage}; never for bundles).
     */
    public static Result compile(List<Source> modules, List<String> entrypoints, boolean coverage) {
        List<Diagnostic> diags = new ArrayList<>();
        List<Module> parsed = new ArrayList<>();
        for (Source s : modules) {
            try {
                parsed.add(Parser.parse(s.file(), s.text()));
            } catch (CompileException e) {
                diags.addAll(e.diagnostics());
            }
        }
        if (!diags.isEmpty()) {
            throw new CompileException(diags);
        }
        if (entrypoints.isEmpty()) {
            throw new CompileException(new Diagnostic(new Position("<entrypoints>", 1, 1), "rego_compile_error",
                    "at least one entrypoint is required"));
        }
        RuleTree tree = RuleTree.build(parsed, diags);
        Ir.Program program = Planner.plan(tree, entrypoints, diags, coverage);
        byte[] wasm = CodeGen.generate(RuntimeModule.load(), program);
        return new Result(wasm, program.entrypoints().stream().map(Ir.Entrypoint::name).toList());
    }
}
