package dev.portcullis.rego.plan;

import java.util.List;

/**
 * The planner's intermediate representation: functions made of nested blocks of statements.
 *
 * <p>Execution model: statements of a {@link Block} run in order; a statement that <em>fails</em>
 * (an undefined value, a false comparison) ends its innermost enclosing block, and execution
 * continues after that block. Iteration ({@link Scan}) runs its body block once per element; a
 * failing body moves on to the next element. Every value lives in a numbered local (a Wasm i32
 * holding a runtime value address, 0 = undefined). Locals 0 and 1 of every function are
 * {@code input} and {@code data}; function arguments follow.
 */
public final class Ir {

    private Ir() {}

    /** A whole program: functions plus the entrypoints that call them. */
    public record Program(List<Func> funcs, List<Entrypoint> entrypoints, List<String> hostBuiltins) {}

    /** Entrypoint {@code name} (slash-separated) is evaluated by calling {@code func}. */
    public record Entrypoint(String name, String func) {}

    /**
     * @param params   number of parameters including input and data
     * @param locals   total number of locals including params
     * @param result   the local whose value is returned (0 → undefined)
     * @param memoized whether the value may be cached for the rest of an evaluation with the same
     *                 input (rules and documents; never functions, whose value depends on arguments)
     */
    public record Func(String name, int params, int locals, Block body, int result, boolean memoized) {}

    public record Block(List<Stmt> stmts) {}

    public sealed interface Stmt {}

    /** Constant kinds for {@link Const}. */
    public sealed interface Constant {}

    public record NullConst() implements Constant {}

    public record BoolConst(boolean value) implements Constant {}

    public record IntConst(long value) implements Constant {}

    /**
     * A number that is not a plain int64 literal (2.5, 1e3, 2e308, 123456789012345678901234): kept
     * as its literal text, which the runtime holds exactly, as OPA does.
     */
    public record NumConst(String text) implements Constant {}

    public record StringConst(String value) implements Constant {}

    /** target = constant (never fails). */
    public record Const(Constant value, int target) implements Stmt {}

    /** target = src[key]; fails when undefined. */
    public record Dot(int src, int key, int target) implements Stmt {}

    /** For each element of src (none for scalars): key/value locals are set and body runs. */
    public record Scan(int src, int key, int value, Block body) implements Stmt {}

    /** Runs each block in turn; a failure inside one only ends that block. */
    public record Blocks(List<Block> blocks) implements Stmt {}

    /**
     * target = func(args...). {@code func} names a planned function, a native builtin
     * ({@link #builtin}: the code generator maps it to its runtime symbol) or a host builtin
     * ({@link #host}, see {@link Program#hostBuiltins}). Fails when the result is undefined.
     */
    public record Call(String func, List<Integer> args, int target) implements Stmt {}

    /** Prefix of {@link Call#func} for a native builtin, followed by its Rego name. */
    public static final String BUILTIN = "builtin:";
    /** Prefix of {@link Call#func} for a host builtin, followed by its Rego name. */
    public static final String HOST = "host:";

    public static String builtin(String regoName) {
        return BUILTIN + regoName;
    }

    public static String host(String regoName) {
        return HOST + regoName;
    }

    /** Comparison operators. */
    public enum Cmp { EQ, NE, LT, LE, GT, GE }

    /** Fails unless a op b. When target >= 0, instead stores the boolean result and never fails. */
    public record Compare(Cmp op, int a, int b, int target) implements Stmt {}

    /** Fails if local is undefined (isDefined true) or defined (isDefined false). */
    public record Defined(int local, boolean isDefined) implements Stmt {}

    /** Value types, numbered as the runtime's type tags (Rego's sort order). */
    public enum Type {
        NULL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT, SET;

        public int tag() {
            return ordinal() + 1;
        }
    }

    /** Fails unless local is defined and its type is one of {@code types}. */
    public record TypeIn(int local, java.util.Set<Type> types) implements Stmt {
        public TypeIn {
            types = java.util.Set.copyOf(types);
        }
    }

    /** Ends the evaluation with an error: {@code msg} is passed to {@code opa_abort}. */
    public record Abort(String msg) implements Stmt {}

    /** Fails if the value is the boolean false (or undefined). */
    public record NotFalse(int local) implements Stmt {}

    /** Fails unless src is an array of exactly {@code length} elements (patterns). */
    public record ArrayOfLength(int src, int length) implements Stmt {}

    /** Fails unless src is an object with exactly {@code size} keys (patterns). */
    public record ObjectOfSize(int src, int size) implements Stmt {}

    /** target = src. */
    public record Assign(int src, int target) implements Stmt {}

    /** target = undefined. */
    public record Reset(int target) implements Stmt {}

    /** Aborts evaluation with msg if target is defined and differs from src; then target = src. */
    public record AssignOnce(int src, int target, String msg) implements Stmt {}

    public enum Collection { ARRAY, OBJECT, SET }

    /** target = new empty collection. */
    public record Make(Collection kind, int target) implements Stmt {}

    public record ArrayAppend(int array, int value) implements Stmt {}

    public record SetAdd(int set, int value) implements Stmt {}

    /** obj[key] = value; with msg != null, aborts with msg if key holds a different value. */
    public record ObjectInsert(int object, int key, int value, String msg) implements Stmt {}
}
