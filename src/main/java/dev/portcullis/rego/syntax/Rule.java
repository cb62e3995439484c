package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.Position;
import java.util.List;

/**
 * One rule definition. A rule's head is a reference: {@code path} is its constant prefix (the
 * rule's place under the package, {@code a.b.c} for {@code a.b.c := 1}); {@code keys} are the
 * segments from the first non-constant one on ({@code [x, "q"]} for {@code p[x].q := v}).
 * <ul>
 *   <li>COMPLETE: {@code path := value if body} ({@code value} null means {@code true}; {@code body}
 *       null means unconditional), with optional {@code else} clauses; no keys.</li>
 *   <li>DEFAULT: {@code default path := value} (also {@code default f(_) := value}: args set).</li>
 *   <li>PARTIAL_SET: {@code path contains key if body}; with keys ({@code p[x] contains y}) the
 *       rule builds an object whose leaves are sets (a multi-value leaf).</li>
 *   <li>PARTIAL_OBJECT: {@code path[keys...] := value if body} ({@code key} is the first of keys;
 *       {@code value} null means {@code true}).</li>
 *   <li>FUNCTION: {@code path(args...) := value if body}, optional else clauses.</li>
 * </ul>
 */
public record Rule(
        Position pos,
        Kind kind,
        List<String> path,
        List<Term> args,
        Term key,
        Term value,
        Body body,
        List<Else> elses,
        List<Term> keys) {

    public enum Kind { COMPLETE, DEFAULT, PARTIAL_SET, PARTIAL_OBJECT, FUNCTION }

    public Rule {
        path = List.copyOf(path);
        keys = List.copyOf(keys);
    }

    /** A rule whose head is a single name (and, for a partial object, a single key). */
    public Rule(Position pos, Kind kind, String name, List<Term> args, Term key, Term value, Body body, List<Else> elses) {
        this(pos, kind, List.of(name), args, key, value, body, elses,
                kind == Kind.PARTIAL_OBJECT && key != null ? List.of(key) : List.of());
    }

    /** The head's constant path, dotted ({@code a.b.c}). */
    public String name() {
        return String.join(".", path);
    }

    /** Whether the head reaches below its constant path: the rule contributes to an object. */
    public boolean hasKeys() {
        return !keys.isEmpty();
    }

    /** {@code else := value if body}; value null means {@code true}, body null unconditional. */
    public record Else(Position pos, Term value, Body body) {}
}
