package dev.portcullis.rego.builtins;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Rego type as OPA's builtin declarations use it. Declarations are written in a compact text
 * form (see {@link #parse}) so that each builtin stays one line in {@link BuiltinTable}:
 * {@code any}, {@code null}, {@code boolean}, {@code number}, {@code string}, {@code array[T]},
 * {@code set[T]}, {@code object[K: V]}, tuples {@code [T, U]} (OPA's static arrays) and unions
 * {@code A | B} (OPA's {@code any<A, B>}).
 */
public sealed interface Type {

    /** The top-level Rego type names a value of this type may have ("any" when unconstrained). */
    Set<String> kinds();

    /** Accepts a value whose top-level Rego type is {@code kind}. */
    default boolean accepts(String kind) {
        Set<String> k = kinds();
        return k.contains("any") || k.contains(kind);
    }

    record Any() implements Type {
        public Set<String> kinds() { return Set.of("any"); }
        @Override public String toString() { return "any"; }
    }

    /** null, boolean, number or string. */
    record Scalar(String name) implements Type {
        public Set<String> kinds() { return Set.of(name); }
        @Override public String toString() { return name; }
    }

    record Array(Type of) implements Type {
        public Set<String> kinds() { return Set.of("array"); }
        @Override public String toString() { return "array[" + of + "]"; }
    }

    /** An array of fixed length whose elements have the given types. */
    record Tuple(List<Type> items) implements Type {
        public Set<String> kinds() { return Set.of("array"); }
        @Override public String toString() {
            return items.stream().map(Type::toString).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    record SetOf(Type of) implements Type {
        public Set<String> kinds() { return Set.of("set"); }
        @Override public String toString() { return "set[" + of + "]"; }
    }

    record Obj(Type key, Type value) implements Type {
        public Set<String> kinds() { return Set.of("object"); }
        @Override public String toString() { return "object[" + key + ": " + value + "]"; }
    }

    record Union(List<Type> options) implements Type {
        public Set<String> kinds() {
            Set<String> s = new LinkedHashSet<>();
            options.forEach(o -> s.addAll(o.kinds()));
            return s;
        }
        @Override public String toString() {
            return options.stream().map(Type::toString).collect(Collectors.joining(" | "));
        }
    }

    Type ANY = new Any();
    Type NULL = new Scalar("null");
    Type BOOLEAN = new Scalar("boolean");
    Type NUMBER = new Scalar("number");
    Type STRING = new Scalar("string");

    /** Parses the compact form; throws IllegalArgumentException on malformed text. */
    static Type parse(String text) {
        TypeParser p = new TypeParser(text);
        Type t = p.union();
        p.expectEnd();
        return t;
    }

    /** Recursive-descent reader of the compact form. */
    final class TypeParser {
        private final String s;
        private int i;

        TypeParser(String s) {
            this.s = s;
        }

        Type union() {
            List<Type> opts = new ArrayList<>();
            opts.add(single());
            while (peek('|')) {
                i++;
                opts.add(single());
            }
            return opts.size() == 1 ? opts.get(0) : new Union(List.copyOf(opts));
        }

        private Type single() {
            skip();
            if (peek('[')) {
                i++;
                List<Type> items = new ArrayList<>();
                items.add(union());
                while (peek(',')) {
                    i++;
                    items.add(union());
                }
                expect(']');
                return new Tuple(List.copyOf(items));
            }
            int start = i;
            while (i < s.length() && (Character.isLetter(s.charAt(i)))) {
                i++;
            }
            String word = s.substring(start, i);
            switch (word) {
                case "any": return ANY;
                case "null": return NULL;
                case "boolean": return BOOLEAN;
                case "number": return NUMBER;
                case "string": return STRING;
                case "array": {
                    expect('[');
                    Type of = union();
                    expect(']');
                    return new Array(of);
                }
                case "set": {
                    expect('[');
                    Type of = union();
                    expect(']');
                    return new SetOf(of);
                }
                case "object": {
                    expect('[');
                    Type k = union();
                    expect(':');
                    Type v = union();
                    expect(']');
                    return new Obj(k, v);
                }
                default:
                    throw new IllegalArgumentException("bad type at " + start + " in: " + s);
            }
        }

        private boolean peek(char c) {
            skip();
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i + " in: " + s);
            }
            i++;
        }

        void expectEnd() {
            skip();
            if (i != s.length()) {
                throw new IllegalArgumentException("trailing text at " + i + " in: " + s);
            }
        }

        private void skip() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }
    }
}
