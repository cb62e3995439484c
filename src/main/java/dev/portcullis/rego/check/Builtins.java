package dev.portcullis.rego.check;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The builtin functions Portcullis compiles. Each is implemented natively in the C runtime as
 * {@code pc_bi_<name with dots as underscores>}, except {@code sprintf}, the one builtin the host
 * provides through {@code opa_builtinN}.
 */
public final class Builtins {

    /** A builtin: its Rego name, arity, and whether the host provides it. */
    public record Builtin(String name, int arity, boolean host) {
        /** The runtime export implementing it (native builtins only). */
        public String runtimeFunction() {
            return "pc_bi_" + name.replace('.', '_');
        }
    }

    private static final Map<String, Builtin> TABLE = new TreeMap<>();

    private static void add(int arity, String... names) {
        for (String n : names) {
            TABLE.put(n, new Builtin(n, arity, false));
        }
    }

    static {
        add(1, "count", "sum", "product", "max", "min", "sort", "abs", "round", "ceil", "floor",
                "to_number", "lower", "upper", "trim_space", "is_string", "is_number", "is_boolean",
                "is_array", "is_object", "is_set", "is_null", "type_name", "object.keys",
                "array.reverse", "union", "intersection");
        add(2, "numbers.range", "concat", "contains", "startswith", "endswith", "split", "trim",
                "trim_prefix", "trim_suffix", "trim_left", "trim_right", "indexof", "format_int",
                "object.remove", "object.union", "array.concat");
        add(3, "replace", "substring", "object.get", "array.slice");
        TABLE.put("sprintf", new Builtin("sprintf", 2, true));
    }

    /**
     * Namespaces and names of OPA builtins we do not compile: calling one is an "unsupported" error
     * rather than an "unknown function" error, so users learn the difference.
     */
    private static final Set<String> OPA_NAMESPACES = Set.of("regex", "time", "json", "yaml", "base64",
            "base64url", "http", "crypto", "net", "io", "glob", "units", "uuid", "strings", "graph",
            "opa", "rego", "semver", "urlquery", "hex", "bits", "array", "object", "numbers", "rand",
            "providers", "aws", "internal");
    private static final Set<String> OPA_TOP_LEVEL = Set.of("print", "walk", "re_match", "trace", "cast_array",
            "cast_set", "cast_string", "cast_boolean", "cast_null", "cast_object", "any", "all", "and", "or",
            "plus", "minus", "mul", "div", "rem", "eq", "equal", "neq", "lt", "lte", "gt", "gte", "format_int",
            "indexof_n", "sprintf", "startswith", "endswith", "contains", "split", "to_number", "is_string",
            "base64", "json", "object", "time", "net", "concat", "min", "max", "sum", "product", "sort",
            "assign", "member", "regex", "abs", "ceil", "floor", "round", "count", "set_diff", "intersection",
            "union", "lower", "upper", "replace", "strings", "substring", "trim", "trim_left", "trim_prefix",
            "trim_right", "trim_suffix", "trim_space", "type_name", "is_number", "is_boolean", "is_array",
            "is_set", "is_object", "is_null");

    /**
     * Accepted argument types per builtin and operator, for the static check of literal arguments.
     * Types are Rego type names joined by '|'; "any" accepts everything.
     */
    private static final Map<String, List<String>> ARG_TYPES = new TreeMap<>();

    private static void args(String name, String... types) {
        ARG_TYPES.put(name, List.of(types));
    }

    static {
        String coll = "array|set";
        for (String n : List.of("count")) {
            args(n, "string|array|object|set");
        }
        for (String n : List.of("sum", "product", "max", "min", "sort")) {
            args(n, coll);
        }
        for (String n : List.of("abs", "round", "ceil", "floor")) {
            args(n, "number");
        }
        args("to_number", "null|boolean|number|string");
        for (String n : List.of("lower", "upper", "trim_space")) {
            args(n, "string");
        }
        args("object.keys", "object");
        args("array.reverse", "array");
        args("union", "set");
        args("intersection", "set");
        args("numbers.range", "number", "number");
        args("concat", "string", coll);
        for (String n : List.of("contains", "startswith", "endswith", "split", "trim", "trim_prefix", "trim_suffix",
                "trim_left", "trim_right", "indexof")) {
            args(n, "string", "string");
        }
        args("format_int", "number", "number");
        args("object.remove", "object", "array|set|object");
        args("object.union", "object", "object");
        args("array.concat", "array", "array");
        args("replace", "string", "string", "string");
        args("substring", "string", "number", "number");
        args("object.get", "object", "any", "any");
        args("array.slice", "array", "number", "number");
        args("sprintf", "string", "array");
        for (String op : List.of("+", "*", "/", "%")) {
            args(op, "number", "number");
        }
        args("-", "number|set", "number|set");
        args("|", "set", "set");
        args("&", "set", "set");
    }

    /**
     * The types argument {@code index} of {@code name} accepts ("any" when unconstrained or
     * unknown).
     */
    public static String argumentTypes(String name, int index) {
        List<String> t = ARG_TYPES.get(name);
        return t == null || index >= t.size() ? "any" : t.get(index);
    }

    private Builtins() {}

    public static Optional<Builtin> lookup(String name) {
        return Optional.ofNullable(TABLE.get(name));
    }

    /** True when {@code name} looks like an OPA builtin that we do not support. */
    public static boolean isKnownUnsupported(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? OPA_NAMESPACES.contains(name.substring(0, dot)) : OPA_TOP_LEVEL.contains(name);
    }

    public static Map<String, Builtin> all() {
        return TABLE;
    }
}
