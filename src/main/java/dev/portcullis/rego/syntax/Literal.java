package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.Position;
import java.util.List;

/** One statement of a rule or comprehension body. */
public sealed interface Literal {
    Position pos();

    /**
     * An expression, optionally negated with {@code not}, evaluated with the given {@code with}
     * modifiers (empty for most literals).
     */
    record Expr(Position pos, boolean negated, Term term, List<With> withs) implements Literal {
        public Expr {
            withs = List.copyOf(withs);
        }

        public Expr(Position pos, boolean negated, Term term) {
            this(pos, negated, term, List.of());
        }
    }

    /** {@code with target as value}: target is {@code input} or a ref under it. */
    record With(Position pos, Term target, Term value) {}

    /** {@code some x, y} — declares fresh local variables. */
    record SomeDecl(Position pos, List<Term.Var> vars) implements Literal {}

    /** {@code some v in coll} (key null) or {@code some k, v in coll}; k and v may be patterns. */
    record SomeIn(Position pos, Term key, Term value, Term collection, List<With> withs) implements Literal {
        public SomeIn {
            withs = List.copyOf(withs);
        }

        public SomeIn(Position pos, Term key, Term value, Term collection) {
            this(pos, key, value, collection, List.of());
        }
    }

    /** {@code every v in coll { body }} (key null) or {@code every k, v in coll { body }}. */
    record Every(Position pos, Term.Var key, Term.Var value, Term collection, Body body, List<With> withs)
            implements Literal {
        public Every {
            withs = List.copyOf(withs);
        }

        public Every(Position pos, Term.Var key, Term.Var value, Term collection, Body body) {
            this(pos, key, value, collection, body, List.of());
        }
    }
}
