package dev.portcullis.rego.check;

import dev.portcullis.rego.syntax.Body;
import dev.portcullis.rego.syntax.Literal;
import dev.portcullis.rego.syntax.Term;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Variable analysis used for safety and literal ordering. A variable "needed" by a term must be
 * bound before the term is evaluated; variables in ref positions ({@code xs[i]}) and in patterns
 * are instead bound by evaluating it.
 */
public final class Vars {
    private Vars() {}

    /**
     * Local variables of {@code t} that must already be bound for it to be evaluated as a value.
     * {@code isFreeLocal} says whether a name is a local that is not yet bound; {@code outer} names
     * the locals of enclosing bodies, which comprehension bodies capture.
     */
    public static void needed(Term t, Predicate<String> isFreeLocal, Set<String> outer, Set<Term.Var> out) {
        if (t instanceof Term.Var v) {
            if (isFreeLocal.test(v.name())) {
                out.add(v);
            }
        } else if (t instanceof Term.Ref r) {
            needed(r.head(), isFreeLocal, outer, out);
            for (Term p : r.path()) {
                if (!(p instanceof Term.Var)) {
                    needed(p, isFreeLocal, outer, out);
                }
            }
        } else if (t instanceof Term.Arr a) {
            a.items().forEach(i -> needed(i, isFreeLocal, outer, out));
        } else if (t instanceof Term.SetLit s) {
            s.items().forEach(i -> needed(i, isFreeLocal, outer, out));
        } else if (t instanceof Term.Obj o) {
            o.items().forEach(i -> {
                needed(i.key(), isFreeLocal, outer, out);
                needed(i.value(), isFreeLocal, outer, out);
            });
        } else if (t instanceof Term.Call c) {
            c.args().forEach(a -> needed(a, isFreeLocal, outer, out));
        } else if (t instanceof Term.ArrayCompr || t instanceof Term.SetCompr || t instanceof Term.ObjectCompr) {
            Set<Term.Var> all = new LinkedHashSet<>();
            allVars(t, all);
            for (Term.Var v : all) {
                if (outer.contains(v.name()) && isFreeLocal.test(v.name())) {
                    out.add(v);
                }
            }
        }
    }

    /** Needed variables of a term used as a pattern (unification target). */
    public static void neededAsPattern(Term t, Predicate<String> isFreeLocal, Set<String> outer, Set<Term.Var> out) {
        if (t instanceof Term.Var) {
            return;
        } else if (t instanceof Term.Arr a) {
            a.items().forEach(i -> neededAsPattern(i, isFreeLocal, outer, out));
        } else if (t instanceof Term.Obj o) {
            o.items().forEach(i -> {
                needed(i.key(), isFreeLocal, outer, out);
                neededAsPattern(i.value(), isFreeLocal, outer, out);
            });
        } else {
            needed(t, isFreeLocal, outer, out);
        }
    }

    /** Variables bound by using t as a pattern. */
    public static void patternOutputs(Term t, Predicate<String> isFreeLocal, Set<String> out) {
        if (t instanceof Term.Var v) {
            if (isFreeLocal.test(v.name())) {
                out.add(v.name());
            }
        } else if (t instanceof Term.Arr a) {
            a.items().forEach(i -> patternOutputs(i, isFreeLocal, out));
        } else if (t instanceof Term.Obj o) {
            o.items().forEach(i -> patternOutputs(i.value(), isFreeLocal, out));
        } else {
            refOutputs(t, isFreeLocal, out);
        }
    }

    /** Variables bound by iteration: unbound vars in ref path positions (outside comprehensions). */
    public static void refOutputs(Term t, Predicate<String> isFreeLocal, Set<String> out) {
        if (t instanceof Term.Ref r) {
            refOutputs(r.head(), isFreeLocal, out);
            for (Term p : r.path()) {
                if (p instanceof Term.Var v) {
                    if (isFreeLocal.test(v.name())) {
                        out.add(v.name());
                    }
                } else {
                    refOutputs(p, isFreeLocal, out);
                }
            }
        } else if (t instanceof Term.Arr a) {
            a.items().forEach(i -> refOutputs(i, isFreeLocal, out));
        } else if (t instanceof Term.SetLit s) {
            s.items().forEach(i -> refOutputs(i, isFreeLocal, out));
        } else if (t instanceof Term.Obj o) {
            o.items().forEach(i -> {
                refOutputs(i.key(), isFreeLocal, out);
                refOutputs(i.value(), isFreeLocal, out);
            });
        } else if (t instanceof Term.Call c) {
            c.args().forEach(a -> refOutputs(a, isFreeLocal, out));
        }
    }

    /** Every variable occurring in t, comprehension bodies included. */
    public static void allVars(Term t, Set<Term.Var> out) {
        if (t instanceof Term.Var v) {
            out.add(v);
        } else if (t instanceof Term.Ref r) {
            allVars(r.head(), out);
            r.path().forEach(p -> allVars(p, out));
        } else if (t instanceof Term.Arr a) {
            a.items().forEach(i -> allVars(i, out));
        } else if (t instanceof Term.SetLit s) {
            s.items().forEach(i -> allVars(i, out));
        } else if (t instanceof Term.Obj o) {
            o.items().forEach(i -> {
                allVars(i.key(), out);
                allVars(i.value(), out);
            });
        } else if (t instanceof Term.Call c) {
            c.args().forEach(a -> allVars(a, out));
        } else if (t instanceof Term.ArrayCompr c) {
            allVars(c.head(), out);
            allVars(c.body(), out);
        } else if (t instanceof Term.SetCompr c) {
            allVars(c.head(), out);
            allVars(c.body(), out);
        } else if (t instanceof Term.ObjectCompr c) {
            allVars(c.key(), out);
            allVars(c.value(), out);
            allVars(c.body(), out);
        }
    }

    public static void allVars(Body b, Set<Term.Var> out) {
        for (Literal l : b.literals()) {
            allVars(l, out);
        }
    }

    public static void allVars(Literal l, Set<Term.Var> out) {
        if (l instanceof Literal.Expr e) {
            allVars(e.term(), out);
        } else if (l instanceof Literal.SomeDecl s) {
            out.addAll(s.vars());
        } else if (l instanceof Literal.SomeIn s) {
            if (s.key() != null) {
                allVars(s.key(), out);
            }
            allVars(s.value(), out);
            allVars(s.collection(), out);
        } else if (l instanceof Literal.Every e) {
            if (e.key() != null) {
                out.add(e.key());
            }
            out.add(e.value());
            allVars(e.collection(), out);
            allVars(e.body(), out);
        }
    }
}
