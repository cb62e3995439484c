package dev.portcullis.rego.builtins;

/** Where a builtin's behaviour comes from. */
public sealed interface Impl {

    /** A function of the C runtime, exported from runtime.wasm as {@code symbol}. */
    record Native(String symbol) implements Impl {}

    /**
     * Provided by the host through the {@code opa_builtinN} imports and listed by the module's
     * {@code builtins()} export (opa-java-wasm: {@code dev.portcullis.rego.host.HostBuiltins}).
     */
    record Host() implements Impl {}

    /** Lowered by the planner itself (comparison, unification, membership, ...). */
    record Planner() implements Impl {}

    /** Declared by OPA but not compiled yet: a call is the compile error "unsupported builtin". */
    record NotYetImplemented() implements Impl {}
}
