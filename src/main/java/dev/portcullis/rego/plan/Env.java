package dev.portcullis.rego.plan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Variable environment of a body being planned. Children see their parents' bindings; bindings
 * made in a child (inside {@code not}, a comprehension, {@code every}) never leak out.
 */
final class Env {
    private final Env parent;
    private final Map<String, Integer> bound = new HashMap<>();
    private final Set<String> declared = new HashSet<>();

    Env(Env parent) {
        this.parent = parent;
    }

    Env child() {
        return new Env(this);
    }

    /** The local bound to name, or -1. */
    int local(String name) {
        for (Env e = this; e != null; e = e.parent) {
            Integer l = e.bound.get(name);
            if (l != null) {
                return l;
            }
        }
        return -1;
    }

    boolean isBound(String name) {
        return local(name) >= 0;
    }

    boolean isDeclared(String name) {
        for (Env e = this; e != null; e = e.parent) {
            if (e.declared.contains(name) || e.bound.containsKey(name)) {
                return true;
            }
        }
        return false;
    }

    void bind(String name, int local) {
        bound.put(name, local);
    }

    void declare(String name) {
        declared.add(name);
    }
}
