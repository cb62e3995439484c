package dev.portcullis.rego.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.styra.opa.wasm.OpaBuiltin;
import com.styra.opa.wasm.OpaWasm;
import java.io.IOException;
import java.util.List;

/**
 * Adapts a Java function over JSON values to opa-java-wasm's builtin interface.
 *
 * <p>opa-java-wasm's own {@code OpaBuiltin.from} cannot express "undefined": it writes whatever the
 * function returns. Here a {@link BuiltinException} becomes the null address, which the compiled
 * policy treats as an undefined call, as OPA's evaluator does for builtin errors (non-strict).
 * Anything else thrown (a defect) aborts the evaluation, so the gate fails closed.
 */
final class HostFunction implements OpaBuiltin.Builtin {

    @FunctionalInterface
    interface Body {
        JsonNode apply(List<JsonNode> args) throws BuiltinException;
    }

    private final String name;
    private final int arity;
    private final Body body;

    HostFunction(String name, int arity, Body body) {
        this.name = name;
        this.arity = arity;
        this.body = body;
    }

    @Override
    public String name() {
        return name;
    }

    int arity() {
        return arity;
    }

    /** Calls the function directly (tests, other hosts). Null means undefined. */
    JsonNode call(List<JsonNode> args) {
        if (args.size() != arity) {
            throw new IllegalArgumentException(name + " takes " + arity + " arguments, got " + args.size());
        }
        try {
            return body.apply(args);
        } catch (BuiltinException e) {
            return null;
        }
    }

    private int run(OpaWasm wasm, int... addrs) {
        JsonNode[] args = new JsonNode[addrs.length];
        for (int i = 0; i < addrs.length; i++) {
            try {
                args[i] = GoJson.parse(wasm.readString(addrs[i]));
            } catch (IOException e) {
                throw new IllegalStateException(name + ": unreadable argument " + (i + 1), e);
            }
        }
        JsonNode out = call(List.of(args));
        return out == null ? 0 : wasm.writeResult(GoJson.write(out));
    }

    @Override
    public int asBuiltin0(OpaWasm wasm) {
        return run(wasm);
    }

    @Override
    public int asBuiltin1(OpaWasm wasm, int a) {
        return run(wasm, a);
    }

    @Override
    public int asBuiltin2(OpaWasm wasm, int a, int b) {
        return run(wasm, a, b);
    }

    @Override
    public int asBuiltin3(OpaWasm wasm, int a, int b, int c) {
        return run(wasm, a, b, c);
    }

    @Override
    public int asBuiltin4(OpaWasm wasm, int a, int b, int c, int d) {
        return run(wasm, a, b, c, d);
    }
}
