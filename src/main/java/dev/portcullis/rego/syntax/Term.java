package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.Position;
import java.util.List;

/**
 * Rego terms and expressions. Operators are represented as {@link Call}s whose {@code name} is the
 * operator symbol, so later stages treat infix and prefix forms alike.
 */
public sealed interface Term {
    Position pos();

    record Null(Position pos) implements Term {}

    record Bool(Position pos, boolean value) implements Term {}

    /** A number literal kept as its source text (JSON number syntax). */
    record Num(Position pos, String text) implements Term {}

    record Str(Position pos, String value) implements Term {}

    /** A variable. The parser renames each wildcard {@code _} to a unique {@code $_N}. */
    record Var(Position pos, String name) implements Term {
        public boolean isWildcard() {
            return name.startsWith("$_");
        }
    }

    /**
     * head.path[0].path[1]...; {@code a.b} has path element {@code Str("b")}. The head is usually a
     * Var (input, data, a local, an import alias), but may be any term ({@code [1,2][0]}).
     */
    record Ref(Position pos, Term head, List<Term> path) implements Term {}

    record Arr(Position pos, List<Term> items) implements Term {}

    record Obj(Position pos, List<Item> items) implements Term {
        public record Item(Term key, Term value) {}
    }

    /** A set literal; {@code set()} is an empty Set. */
    record SetLit(Position pos, List<Term> items) implements Term {}

    record ArrayCompr(Position pos, Term head, Body body) implements Term {}

    record SetCompr(Position pos, Term head, Body body) implements Term {}

    record ObjectCompr(Position pos, Term key, Term value, Body body) implements Term {}

    /**
     * A call. {@code name} is either an operator symbol ({@code + - * / % | & == != < <= > >= := = in})
     * or a dotted function name as written ({@code count}, {@code object.get}, {@code f},
     * {@code data.lib.f}). Unary minus on a non-literal is {@code -} with operands {@code 0, x}.
     * {@code k, v in xs} is {@code in} with three operands.
     */
    record Call(Position pos, String name, List<Term> args) implements Term {}
}
