package dev.portcullis.rego;

import dev.portcullis.rego.diag.CompileException;
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
        throw new UnsupportedOperationException("compiler pipeline not wired yet");
    }
}
