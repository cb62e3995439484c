package dev.portcullis.rego.builtins;

import java.util.List;
import java.util.Set;

/**
 * One builtin function: its Rego name, argument and result types (OPA's declaration), where it
 * is implemented, the infix operator it is written as (or null) and OPA's flags for it.
 *
 * @param result null for the few builtins that produce no value ({@code print}, {@code
 *     internal.print}, {@code internal.test_case})
 */
public record BuiltinDecl(String name, List<Type> args, Type result, Impl impl, String infix, Set<Flag> flags) {

    public enum Flag {
        /** Takes any number of arguments ({@code print}). */
        VARIADIC,
        /** Removed from Rego v1: a call is an undefined function, as in OPA 1.x. */
        DEPRECATED,
        /** OPA marks it non-deterministic (time, randomness, network). */
        NONDETERMINISTIC,
        /** Enumerates values, like a relation ({@code walk}). */
        RELATION
    }

    public BuiltinDecl {
        args = List.copyOf(args);
        flags = Set.copyOf(flags);
    }

    public int arity() {
        return args.size();
    }

    public boolean has(Flag f) {
        return flags.contains(f);
    }

    public boolean isNative() {
        return impl instanceof Impl.Native;
    }

    public boolean isHost() {
        return impl instanceof Impl.Host;
    }

    /** The runtime export implementing a native builtin. */
    public String symbol() {
        if (impl instanceof Impl.Native n) {
            return n.symbol();
        }
        throw new IllegalStateException(name + " is not a native builtin");
    }

    /** The type argument {@code index} accepts ({@code any} past the declared arguments). */
    public Type arg(int index) {
        return index < args.size() ? args.get(index) : Type.ANY;
    }
}
