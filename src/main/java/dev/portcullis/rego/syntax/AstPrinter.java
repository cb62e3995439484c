package dev.portcullis.rego.syntax;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders AST nodes as compact, Rego-like text (positions omitted) for tests, debugging and error
 * messages. Binary operator calls are always parenthesised, e.g. {@code (x + (1 * y))}.
 */
public final class AstPrinter {

    private AstPrinter() {}

    public static String print(Module m) {
        StringBuilder sb = new StringBuilder();
        sb.append("package ").append(String.join(".", m.pkg().path())).append('\n');
        for (Module.Import i : m.imports()) {
            sb.append("import ").append(String.join(".", i.path()));
            if (i.alias() != null) {
                sb.append(" as ").append(i.alias());
            }
            sb.append('\n');
        }
        for (Rule r : m.rules()) {
            sb.append(print(r)).append('\n');
        }
        return sb.toString();
    }

    public static String print(Rule r) {
        StringBuilder sb = new StringBuilder();
        switch (r.kind()) {
            case DEFAULT -> {
                sb.append("default ").append(r.name());
                if (!r.args().isEmpty()) {
                    sb.append('(').append(terms(r.args())).append(')');
                }
                sb.append(" := ").append(print(r.value()));
            }
            case PARTIAL_SET -> sb.append(r.name()).append(keys(r)).append(" contains ").append(print(r.key()));
            case PARTIAL_OBJECT -> sb.append(r.name()).append(keys(r)).append(" := ")
                    .append(r.value() == null ? "true" : print(r.value()));
            case COMPLETE, FUNCTION -> {
                sb.append(r.name());
                if (r.kind() == Rule.Kind.FUNCTION) {
                    sb.append('(').append(terms(r.args())).append(')');
                }
                if (r.value() != null) {
                    sb.append(" := ").append(print(r.value()));
                }
            }
        }
        if (r.body() != null) {
            sb.append(" if ").append(print(r.body()));
        }
        if (r.elses() != null) {
            for (Rule.Else e : r.elses()) {
                sb.append(" else");
                if (e.value() != null) {
                    sb.append(" := ").append(print(e.value()));
                }
                if (e.body() != null) {
                    sb.append(" if ").append(print(e.body()));
                }
            }
        }
        return sb.toString();
    }

    private static String keys(Rule r) {
        StringBuilder sb = new StringBuilder();
        for (Term k : r.keys()) {
            sb.append('[').append(print(k)).append(']');
        }
        return sb.toString();
    }

    public static String print(Body b) {
        return "{ " + b.literals().stream().map(AstPrinter::print).collect(Collectors.joining("; ")) + " }";
    }

    public static String print(Literal l) {
        if (l instanceof Literal.Expr e) {
            return (e.negated() ? "not " : "") + print(e.term());
        }
        if (l instanceof Literal.SomeDecl s) {
            return "some " + terms(List.copyOf(s.vars()));
        }
        if (l instanceof Literal.SomeIn s) {
            return "some " + (s.key() == null ? "" : print(s.key()) + ", ") + print(s.value()) + " in "
                    + print(s.collection());
        }
        Literal.Every e = (Literal.Every) l;
        return "every " + (e.key() == null ? "" : print(e.key()) + ", ") + print(e.value()) + " in "
                + print(e.collection()) + " " + print(e.body());
    }

    public static String print(Term t) {
        if (t == null) {
            return "<null>";
        }
        if (t instanceof Term.Null) {
            return "null";
        }
        if (t instanceof Term.Bool b) {
            return String.valueOf(b.value());
        }
        if (t instanceof Term.Num n) {
            return n.text();
        }
        if (t instanceof Term.Str s) {
            return quote(s.value());
        }
        if (t instanceof Term.Var v) {
            return v.name();
        }
        if (t instanceof Term.Ref r) {
            StringBuilder sb = new StringBuilder(print(r.head()));
            for (Term e : r.path()) {
                if (e instanceof Term.Str s && isIdent(s.value())) {
                    sb.append('.').append(s.value());
                } else {
                    sb.append('[').append(print(e)).append(']');
                }
            }
            return sb.toString();
        }
        if (t instanceof Term.Arr a) {
            return "[" + terms(a.items()) + "]";
        }
        if (t instanceof Term.SetLit s) {
            return s.items().isEmpty() ? "set()" : "{" + terms(s.items()) + "}";
        }
        if (t instanceof Term.Obj o) {
            return "{" + o.items().stream().map(i -> print(i.key()) + ": " + print(i.value()))
                    .collect(Collectors.joining(", ")) + "}";
        }
        if (t instanceof Term.ArrayCompr c) {
            return "[" + print(c.head()) + " | " + literals(c.body()) + "]";
        }
        if (t instanceof Term.SetCompr c) {
            return "{" + print(c.head()) + " | " + literals(c.body()) + "}";
        }
        if (t instanceof Term.ObjectCompr c) {
            return "{" + print(c.key()) + ": " + print(c.value()) + " | " + literals(c.body()) + "}";
        }
        Term.Call c = (Term.Call) t;
        if (isOperator(c.name())) {
            if (c.args().size() == 2) {
                return "(" + print(c.args().get(0)) + " " + c.name() + " " + print(c.args().get(1)) + ")";
            }
            if (c.name().equals("in") && c.args().size() == 3) {
                return "(" + print(c.args().get(0)) + ", " + print(c.args().get(1)) + " in "
                        + print(c.args().get(2)) + ")";
            }
        }
        return c.name() + "(" + terms(c.args()) + ")";
    }

    private static String literals(Body b) {
        return b.literals().stream().map(AstPrinter::print).collect(Collectors.joining("; "));
    }

    private static String terms(List<? extends Term> ts) {
        return ts.stream().map(AstPrinter::print).collect(Collectors.joining(", "));
    }

    static boolean isOperator(String name) {
        return switch (name) {
            case "+", "-", "*", "/", "%", "|", "&", "==", "!=", "<", "<=", ">", ">=", ":=", "=", "in" -> true;
            default -> false;
        };
    }

    private static boolean isIdent(String s) {
        if (s.isEmpty() || Lexer.isKeyword(s)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** JSON string literal for {@code s}. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
