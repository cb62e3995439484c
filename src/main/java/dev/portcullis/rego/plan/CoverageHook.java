package dev.portcullis.rego.plan;

import dev.portcullis.rego.diag.Position;
import java.util.List;

/**
 * Coverage instrumentation, only in builds that ask for it ({@code portcullis test --coverage}):
 * the planner reports each expression it reaches and each rule head that produces a value (OPA's
 * coverage model: Eval and Exit events) as a call of the host builtin {@link #BUILTIN} with the
 * constant {@code "file:line"}. Builds without coverage contain none of it.
 */
public final class CoverageHook {

    /** The host builtin a coverage build calls; it must return a defined value (e.g. true). */
    public static final String BUILTIN = "portcullis.coverage.hit";

    private CoverageHook() {}

    /** Emits a hit of {@code pos}'s line into the current block. */
    static void hit(FuncBuilder fb, Position pos) {
        int where = fb.newLocal();
        fb.emit(new Ir.Const(new Ir.StringConst(pos.file() + ":" + pos.line()), where));
        fb.emit(new Ir.Call(Ir.host(BUILTIN), List.of(where), fb.newLocal()));
    }
}
