package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.Position;
import java.util.List;

/**
 * One rule definition.
 * <ul>
 *   <li>COMPLETE: {@code name := value if body} ({@code value} null means {@code true}; {@code body}
 *       null means unconditional), with optional {@code else} clauses.</li>
 *   <li>DEFAULT: {@code default name := value} (also {@code default f(_) := value}: args set).</li>
 *   <li>PARTIAL_SET: {@code name contains key if body}.</li>
 *   <li>PARTIAL_OBJECT: {@code name[key] := value if body}.</li>
 *   <li>FUNCTION: {@code name(args...) := value if body}, optional else clauses.</li>
 * </ul>
 */
public record Rule(
        Position pos,
        Kind kind,
        String name,
        List<Term> args,
        Term key,
        Term value,
        Body body,
        List<Else> elses) {

    public enum Kind { COMPLETE, DEFAULT, PARTIAL_SET, PARTIAL_OBJECT, FUNCTION }

    /** {@code else := value if body}; value null means {@code true}, body null unconditional. */
    public record Else(Position pos, Term value, Body body) {}
}
