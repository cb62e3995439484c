package dev.portcullis.rego.diag;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown by a compiler stage with every diagnostic it collected (never empty). */
public class CompileException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public CompileException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        if (diagnostics.isEmpty()) {
            throw new IllegalArgumentException("a CompileException needs at least one diagnostic");
        }
        this.diagnostics = List.copyOf(diagnostics);
    }

    public CompileException(Diagnostic diagnostic) {
        this(List.of(diagnostic));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
