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
    /** When set, the body's value replaces this key in a copy of argument 1 (see {@link #replacing}). */
    private final String replacedKey;

    HostFunction(String name, int arity, Body body) {
        this(name, arity, body, null);
    }

    private HostFunction(String name, int arity, Body body, String replacedKey) {
        this.name = name;
        this.arity = arity;
        this.body = body;
        this.replacedKey = replacedKey;
    }

    /**
     * A builtin whose result is its first argument with {@code key} set to the body's value. The
     * copy is made inside the policy's memory (Rego value dump and parse), so sets and other
     * non-JSON values elsewhere in the argument survive, which a JSON round trip would turn
     * into arrays.
     */
    static HostFunction replacing(String name, int arity, String key, Body body) {
        return new HostFunction(name, arity, body, key);
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
            JsonNode v = body.apply(args);
            if (replacedKey != null && v != null) {
                if (!(args.get(0) instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
                    return null;
                }
                return o.deepCopy().set(replacedKey, v);
            }
            return v;
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
        JsonNode out;
        try {
            out = body.apply(List.of(args));
        } catch (BuiltinException e) {
            return 0;
        }
        if (out == null) {
            return 0;
        }
        if (replacedKey == null) {
            return wasm.writeResult(GoJson.write(out));
        }
        int copy = parseValue(wasm, wasm.memory().readCString(wasm.exports().opaValueDump(addrs[0])));
        int path = wasm.writeResult(GoJson.write(GoJson.NODES.arrayNode().add(replacedKey)));
        int rc = wasm.exports().opaValueAddPath(copy, path, wasm.writeResult(GoJson.write(out)));
        if (rc != 0) {
            throw new IllegalStateException(name + ": cannot set " + replacedKey + " in the result (" + rc + ")");
        }
        return copy;
    }

    private int parseValue(OpaWasm wasm, String regoText) {
        byte[] b = regoText.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = wasm.exports().opaMalloc(b.length);
        wasm.memory().write(at, b);
        int v = wasm.exports().opaValueParse(at, b.length);
        if (v == 0) {
            throw new IllegalStateException(name + ": the policy's value could not be copied");
        }
        return v;
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
