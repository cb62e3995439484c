package dev.portcullis.rego.check;

import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import dev.portcullis.rego.syntax.Literal;
import dev.portcullis.rego.syntax.Term;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rego's safety rule: every variable must be bound before it is used. Bodies are reordered so that
 * each literal's inputs are bound by earlier ones (keeping the written order wherever it is already
 * safe); a body that cannot be ordered has an unsafe variable.
 *
 * <p>Callers say which names are unbound locals ({@code isFree}: not input, data, imports or
 * rules, and not bound yet) and which calls carry an extra output argument.
 */
public final class Safety {
    private Safety() {}

    /**
     * Orders literals so each one's inputs are bound before it runs, keeping the written order
     * wherever it is already safe.
     */
    public static List<Literal> order(List<Literal> lits, Predicate<String> isFree,
            Predicate<Term.Call> outputArgCall) {
        Set<String> boundNow = new HashSet<>();
        Predicate<String> free = n -> isFree.test(n) && !boundNow.contains(n);
        Set<String> outer = new HashSet<>();
        for (Literal l : lits) {
            outer.addAll(outputs(l, isFree, outputArgCall));
        }
        List<Literal> remaining = new ArrayList<>(lits);
        List<Literal> out = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Literal pick = null;
            for (Literal l : remaining) {
                if (missing(l, free, outer, outputArgCall).isEmpty()) {
                    pick = l;
                    break;
                }
            }
            if (pick == null) {
                Literal l = remaining.get(0);
                Set<Term.Var> m = missing(l, free, outer, outputArgCall);
                throw unsafe(m.iterator().next(), l.pos());
            }
            remaining.remove(pick);
            out.add(pick);
            boundNow.addAll(outputs(pick, free, outputArgCall));
        }
        return out;
    }

    private static Set<Term.Var> missing(Literal l, Predicate<String> free, Set<String> outer,
            Predicate<Term.Call> outputArgCall) {
        Set<Term.Var> need = new LinkedHashSet<>();
        if (l instanceof Literal.SomeDecl) {
            return need;
        }
        if (l instanceof Literal.Expr e) {
            for (Literal.With w : e.withs()) {
                Vars.needed(w.value(), free, outer, need);
            }
            if (!e.negated() && e.term() instanceof Term.Call c && c.name().equals(":=")) {
                Vars.needed(c.args().get(1), free, outer, need);
                Vars.neededAsPattern(c.args().get(0), free, outer, need);
            } else if (!e.negated() && e.term() instanceof Term.Call c && c.name().equals("=")) {
                if (!unifiable(c.args().get(0), c.args().get(1), free, outer)) {
                    Vars.needed(c.args().get(0), free, outer, need);
                    Vars.needed(c.args().get(1), free, outer, need);
                    if (need.isEmpty()) {
                        Vars.neededAsPattern(c.args().get(0), free, outer, need);
                        Vars.neededAsPattern(c.args().get(1), free, outer, need);
                    }
                }
            } else if (e.negated()) {
                Vars.needed(e.term(), free, outer, need);
                Set<String> iterated = new HashSet<>();
                Vars.refOutputs(e.term(), free, iterated);
                Set<Term.Var> all = new LinkedHashSet<>();
                Vars.allVars(e.term(), all);
                for (Term.Var v : all) {
                    if (!v.isWildcard() && iterated.contains(v.name())) {
                        need.add(v);
                    }
                }
            } else if (e.term() instanceof Term.Call c && outputArgCall.test(c)) {
                for (Term arg : c.args().subList(0, c.args().size() - 1)) {
                    Vars.needed(arg, free, outer, need);
                }
                Vars.neededAsPattern(c.args().get(c.args().size() - 1), free, outer, need);
            } else {
                Vars.needed(e.term(), free, outer, need);
            }
        } else if (l instanceof Literal.SomeIn s) {
            Vars.needed(s.collection(), free, outer, need);
            if (s.key() != null) {
                Vars.neededAsPattern(s.key(), free, outer, need);
            }
            Vars.neededAsPattern(s.value(), free, outer, need);
        } else if (l instanceof Literal.Every ev) {
            Vars.needed(ev.collection(), free, outer, need);
            Set<Term.Var> inBody = new LinkedHashSet<>();
            Vars.allVars(ev.body(), inBody);
            for (Term.Var v : inBody) {
                if (outer.contains(v.name()) && free.test(v.name())) {
                    need.add(v);
                }
            }
        }
        return need;
    }

    /** Whether {@code a = b} can be solved now: one side evaluable and the other a pattern, or pairwise. */
    public static boolean unifiable(Term a, Term b, Predicate<String> free, Set<String> outer) {
        if (ready(a, b, free, outer) || ready(b, a, free, outer)) {
            return true;
        }
        if (a instanceof Term.Arr aa && b instanceof Term.Arr ba && aa.items().size() == ba.items().size()) {
            for (int i = 0; i < aa.items().size(); i++) {
                if (!unifiable(aa.items().get(i), ba.items().get(i), free, outer)) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Term.Obj ao && b instanceof Term.Obj bo && sameConstantKeys(ao, bo)) {
            for (Term.Obj.Item i : ao.items()) {
                if (!unifiable(i.value(), valueOf(bo, i.key()), free, outer)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Both objects have the same scalar-literal keys, so they can be unified key by key. */
    public static boolean sameConstantKeys(Term.Obj a, Term.Obj b) {
        if (a.items().size() != b.items().size()) {
            return false;
        }
        Set<String> ka = new HashSet<>();
        for (Term.Obj.Item i : a.items()) {
            String k = scalarKey(i.key());
            if (k == null) {
                return false;
            }
            ka.add(k);
        }
        for (Term.Obj.Item i : b.items()) {
            String k = scalarKey(i.key());
            if (k == null || !ka.contains(k)) {
                return false;
            }
        }
        return true;
    }

    /** The value {@code o} holds for the scalar literal {@code key} (see {@link #sameConstantKeys}). */
    public static Term valueOf(Term.Obj o, Term key) {
        String k = scalarKey(key);
        for (Term.Obj.Item i : o.items()) {
            if (k.equals(scalarKey(i.key()))) {
                return i.value();
            }
        }
        throw new IllegalStateException("key not found");
    }

    private static String scalarKey(Term t) {
        if (t instanceof Term.Str s) {
            return "s:" + s.value();
        } else if (t instanceof Term.Num n) {
            return "n:" + new java.math.BigDecimal(n.text()).stripTrailingZeros().toPlainString();
        } else if (t instanceof Term.Bool b) {
            return "b:" + b.value();
        } else if (t instanceof Term.Null) {
            return "null";
        }
        return null;
    }

    private static Set<String> outputs(Literal l, Predicate<String> free, Predicate<Term.Call> outputArgCall) {
        Set<String> out = new HashSet<>();
        if (l instanceof Literal.Expr e && !e.negated()) {
            if (e.term() instanceof Term.Call c && (c.name().equals(":=") || c.name().equals("="))) {
                Vars.patternOutputs(c.args().get(0), free, out);
                Vars.patternOutputs(c.args().get(1), free, out);
            } else if (e.term() instanceof Term.Call c && outputArgCall.test(c)) {
                Vars.refOutputs(e.term(), free, out);
                Vars.patternOutputs(c.args().get(c.args().size() - 1), free, out);
            } else {
                Vars.refOutputs(e.term(), free, out);
            }
        } else if (l instanceof Literal.SomeIn s) {
            if (s.key() != null) {
                Vars.patternOutputs(s.key(), free, out);
            }
            Vars.patternOutputs(s.value(), free, out);
            Vars.refOutputs(s.collection(), free, out);
        }
        return out;
    }

    /** The rego_unsafe_var_error for {@code v} (or for the expression at {@code fallback}). */
    public static CompileException unsafe(Term.Var v, Position fallback) {
        if (v == null) {
            return new CompileException(new Diagnostic(fallback, "rego_unsafe_var_error", "expression is unsafe"));
        }
        String name = v.isWildcard() ? "_" : v.name();
        return new CompileException(new Diagnostic(v.pos(), "rego_unsafe_var_error", "var " + name + " is unsafe"));
    }

    /** Whether {@code value} can be evaluated now and {@code pattern} then matched against it. */
    public static boolean ready(Term value, Term pattern, Predicate<String> free, Set<String> outer) {
        Set<Term.Var> need = new LinkedHashSet<>();
        Vars.needed(value, free, outer, need);
        Vars.neededAsPattern(pattern, free, outer, need);
        return need.isEmpty();
    }
}
