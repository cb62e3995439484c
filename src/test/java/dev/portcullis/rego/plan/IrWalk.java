package dev.portcullis.rego.plan;

import java.util.ArrayList;
import java.util.List;

/** Helpers to walk planner IR in tests. */
final class IrWalk {
    private IrWalk() {}

    /** Every statement of b in pre-order (a Scan/Blocks before the statements nested in it). */
    static List<Ir.Stmt> flatten(Ir.Block b) {
        List<Ir.Stmt> out = new ArrayList<>();
        flatten(b, out);
        return out;
    }

    private static void flatten(Ir.Block b, List<Ir.Stmt> out) {
        for (Ir.Stmt s : b.stmts()) {
            out.add(s);
            if (s instanceof Ir.Scan sc) {
                flatten(sc.body(), out);
            } else if (s instanceof Ir.Blocks bs) {
                for (Ir.Block inner : bs.blocks()) {
                    flatten(inner, out);
                }
            }
        }
    }

    /** Statements of the given type anywhere in b, in pre-order. */
    static <T extends Ir.Stmt> List<T> collect(Ir.Block b, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Ir.Stmt s : flatten(b)) {
            if (type.isInstance(s)) {
                out.add(type.cast(s));
            }
        }
        return out;
    }

    /** Pre-order index of the first statement matching type, or -1. */
    static int firstIndex(Ir.Block b, Class<? extends Ir.Stmt> type) {
        List<Ir.Stmt> all = flatten(b);
        for (int i = 0; i < all.size(); i++) {
            if (type.isInstance(all.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A rule function's body without its first statement, the check that no base document sits
     * at the rule's path (a block of dots ending in an abort).
     */
    static Ir.Block ruleBody(Ir.Func f) {
        List<Ir.Stmt> stmts = f.body().stmts();
        if (!stmts.isEmpty() && stmts.get(0) instanceof Ir.Blocks bs && bs.blocks().size() == 1) {
            List<Ir.Stmt> check = bs.blocks().get(0).stmts();
            if (!check.isEmpty() && check.get(check.size() - 1) instanceof Ir.Abort) {
                return new Ir.Block(stmts.subList(1, stmts.size()));
            }
        }
        return f.body();
    }

    /** Calls to func anywhere in b. */
    static List<Ir.Call> calls(Ir.Block b, String func) {
        return collect(b, Ir.Call.class).stream().filter(c -> c.func().equals(func)).toList();
    }
}
