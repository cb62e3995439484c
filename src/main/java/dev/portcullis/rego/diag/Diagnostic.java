package dev.portcullis.rego.diag;

/**
 * One compile error. {@code code} is stable and machine-readable (rego_parse_error,
 * rego_unsafe_var_error, rego_type_error, rego_recursion_error, rego_compile_error, unsupported).
 */
public record Diagnostic(Position pos, String code, String message) {
    @Override
    public String toString() {
        // "unsupported: ..." messages already start with their code
        return message.startsWith(code + ":") ? pos + ": " + message : pos + ": " + code + ": " + message;
    }
}
