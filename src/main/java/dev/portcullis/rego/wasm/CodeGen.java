package dev.portcullis.rego.wasm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.plan.Ir;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates one Wasm function per IR function and links them into the runtime.
 *
 * <p>Each IR block becomes a Wasm {@code block}; a failing statement branches to the end of the
 * innermost one, which is exactly the IR's "a failure ends its block" rule. Scans are loops over
 * {@code pc_len}/{@code pc_key_at}/{@code pc_val_at}.
 */
public final class CodeGen {

    private static final int TYPE_BOOLEAN = 2;
    private static final int TYPE_ARRAY = 5;
    private static final int TYPE_OBJECT = 6;

    private final RuntimeModule rt;
    private final Ir.Program program;
    private final ConstantPool pool;
    private final Map<String, Integer> funcIndex = new HashMap<>();
    private final Map<String, Integer> runtimeIndex = new HashMap<>();
    private final int abort;

    private CodeGen(RuntimeModule rt, Ir.Program program) {
        this.rt = rt;
        this.program = program;
        this.pool = new ConstantPool(rt.constantBase());
        this.abort = rt.importedFunctionIndex("env", "opa_abort");
        int next = rt.functionCount();
        for (Ir.Func f : program.funcs()) {
            funcIndex.put(f.name(), next++);
        }
    }

    /** Compiles and links {@code program} into a complete policy module. */
    public static byte[] generate(RuntimeModule rt, Ir.Program program) {
        return new CodeGen(rt, program).run();
    }

    private byte[] run() {
        List<GeneratedFunction> fns = new ArrayList<>();
        for (Ir.Func f : program.funcs()) {
            fns.add(function(f));
        }
        Map<String, GeneratedFunction> stubs = new LinkedHashMap<>();
        stubs.put("pc_plan_eval", dispatch());
        stubs.put("pc_builtins_json", constantJson("pc_builtins_json", builtinsJson()));
        stubs.put("pc_entrypoints_json", constantJson("pc_entrypoints_json", entrypointsJson()));
        return Linker.link(rt, fns, stubs, pool.toBytes());
    }

    private String builtinsJson() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < program.hostBuiltins().size(); i++) {
            m.put(program.hostBuiltins().get(i), i);
        }
        return json(m);
    }

    private String entrypointsJson() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < program.entrypoints().size(); i++) {
            m.put(program.entrypoints().get(i).name(), i);
        }
        return json(m);
    }

    private static String json(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private GeneratedFunction constantJson(String stub, String text) {
        Code c = new Code().i32Const(pool.cstring(text)).end();
        return new GeneratedFunction(stub, stubType(stub), List.of(), c);
    }

    private FuncType stubType(String stub) {
        return rt.functionType(rt.functionIndex(stub));
    }

    /** pc_plan_eval(entrypoint, input, data): calls the entrypoint's function. */
    private GeneratedFunction dispatch() {
        Code c = new Code();
        List<Ir.Entrypoint> eps = program.entrypoints();
        for (int i = 0; i < eps.size(); i++) {
            c.localGet(0).i32Const(i).i32Eq().ifThen()
                    .localGet(1).localGet(2).call(funcIndex.get(eps.get(i).func())).ret()
                    .end();
        }
        c.i32Const(0).end();
        return new GeneratedFunction("pc_plan_eval", stubType("pc_plan_eval"), List.of(), c);
    }

    // ---------------------------------------------------------------- functions

    /**
     * A memoized function keeps {generation, input, value} in a constant-memory slot: the cached
     * value is reused while the runtime's evaluation counter and the input address both match, so
     * neither a later evaluation nor a {@code with input as} replacement can see a stale value.
     */
    private GeneratedFunction function(Ir.Func f) {
        FunctionWriter w = new FunctionWriter(f);
        Code c = w.code;
        int slot = f.memoized() ? pool.slot(12) : -1;
        if (f.memoized()) {
            c.i32Const(slot).i32Load(2, 0).call(runtime("pc_generation")).i32Eq();
            c.i32Const(slot).i32Load(2, 4).localGet(0).i32Eq();
            c.i32And().ifThen();
            c.i32Const(slot).i32Load(2, 8).ret();
            c.end();
        }
        w.block(f.body());
        if (f.memoized()) {
            c.i32Const(slot).call(runtime("pc_generation")).i32Store(2, 0);
            c.i32Const(slot).localGet(0).i32Store(2, 4);
            c.i32Const(slot).localGet(f.result()).i32Store(2, 8);
        }
        c.localGet(f.result()).end();
        List<ValType> locals = new ArrayList<>(Collections.nCopies(w.nextLocal - f.params(), ValType.I32));
        return new GeneratedFunction(f.name(), FuncType.i32s(f.params()), locals, w.code);
    }

    private int runtime(String name) {
        return runtimeIndex.computeIfAbsent(name, rt::functionIndex);
    }

    /** Locals some statement reads; a scan key nobody reads is never materialised. */
    static Set<Integer> readLocals(Ir.Func f) {
        Set<Integer> out = new HashSet<>();
        out.add(f.result());
        reads(f.body(), out);
        return out;
    }

    private static void reads(Ir.Block b, Set<Integer> out) {
        for (Ir.Stmt s : b.stmts()) {
            if (s instanceof Ir.Dot d) {
                out.add(d.src());
                out.add(d.key());
            } else if (s instanceof Ir.Scan sc) {
                out.add(sc.src());
                reads(sc.body(), out);
            } else if (s instanceof Ir.Blocks bs) {
                bs.blocks().forEach(x -> reads(x, out));
            } else if (s instanceof Ir.Call c) {
                out.addAll(c.args());
            } else if (s instanceof Ir.Compare c) {
                out.add(c.a());
                out.add(c.b());
            } else if (s instanceof Ir.Defined d) {
                out.add(d.local());
            } else if (s instanceof Ir.NotFalse n) {
                out.add(n.local());
            } else if (s instanceof Ir.TypeIn t) {
                out.add(t.local());
            } else if (s instanceof Ir.ArrayOfLength a) {
                out.add(a.src());
            } else if (s instanceof Ir.ObjectOfSize o) {
                out.add(o.src());
            } else if (s instanceof Ir.Assign a) {
                out.add(a.src());
            } else if (s instanceof Ir.AssignOnce a) {
                out.add(a.src());
                out.add(a.target());
            } else if (s instanceof Ir.ArrayAppend a) {
                out.add(a.array());
                out.add(a.value());
            } else if (s instanceof Ir.SetAdd a) {
                out.add(a.set());
                out.add(a.value());
            } else if (s instanceof Ir.ObjectInsert o) {
                out.add(o.object());
                out.add(o.key());
                out.add(o.value());
            }
        }
    }

    private final class FunctionWriter {
        final Code code = new Code();
        /** Depth right after opening each enclosing IR block: the failure target. */
        final Deque<Integer> failTargets = new ArrayDeque<>();
        final Set<Integer> read;
        int nextLocal;

        FunctionWriter(Ir.Func f) {
            this.nextLocal = f.locals();
            this.read = readLocals(f);
        }

        int fail() {
            return code.depth() - failTargets.peek();
        }

        void block(Ir.Block b) {
            code.block();
            failTargets.push(code.depth());
            b.stmts().forEach(this::stmt);
            failTargets.pop();
            code.end();
        }

        /** Branches to the innermost failure target when the i32 on the stack is zero. */
        void failIfZero() {
            code.i32Eqz().brIf(fail());
        }

        void stmt(Ir.Stmt s) {
            if (s instanceof Ir.Const c) {
                constant(c.value());
                code.localSet(c.target());
            } else if (s instanceof Ir.Dot d) {
                code.localGet(d.src()).localGet(d.key()).call(runtime("pc_dot")).localTee(d.target());
                failIfZero();
            } else if (s instanceof Ir.Scan sc) {
                scan(sc);
            } else if (s instanceof Ir.Blocks bs) {
                bs.blocks().forEach(this::block);
            } else if (s instanceof Ir.Call c) {
                call(c);
            } else if (s instanceof Ir.Compare c) {
                compare(c);
            } else if (s instanceof Ir.Defined d) {
                code.localGet(d.local());
                if (d.isDefined()) {
                    code.i32Eqz();
                }
                code.brIf(fail());
            } else if (s instanceof Ir.NotFalse nf) {
                code.localGet(nf.local());
                failIfZero();
                code.localGet(nf.local()).call(runtime("pc_type")).i32Const(TYPE_BOOLEAN).i32Eq().ifThen();
                code.localGet(nf.local()).call(runtime("pc_is_true"));
                failIfZero();
                code.end();
            } else if (s instanceof Ir.TypeIn t) {
                typeIn(t);
            } else if (s instanceof Ir.Abort a) {
                code.i32Const(pool.cstring(a.msg())).call(abort).unreachable();
            } else if (s instanceof Ir.ArrayOfLength a) {
                shape(a.src(), TYPE_ARRAY, a.length());
            } else if (s instanceof Ir.ObjectOfSize o) {
                shape(o.src(), TYPE_OBJECT, o.size());
            } else if (s instanceof Ir.Assign a) {
                code.localGet(a.src()).localSet(a.target());
            } else if (s instanceof Ir.Reset r) {
                code.i32Const(0).localSet(r.target());
            } else if (s instanceof Ir.AssignOnce a) {
                code.localGet(a.target()).ifThen();
                code.localGet(a.target()).localGet(a.src()).call(runtime("pc_equal")).i32Eqz().ifThen();
                code.i32Const(pool.cstring(a.msg())).call(abort).unreachable();
                code.end();
                code.end();
                code.localGet(a.src()).localSet(a.target());
            } else if (s instanceof Ir.Make m) {
                switch (m.kind()) {
                    case ARRAY -> code.i32Const(0).call(runtime("pc_arr_new"));
                    case OBJECT -> code.call(runtime("pc_obj_new"));
                    case SET -> code.call(runtime("pc_set_new"));
                }
                code.localSet(m.target());
            } else if (s instanceof Ir.ArrayAppend a) {
                code.localGet(a.array()).localGet(a.value()).call(runtime("pc_arr_push"));
            } else if (s instanceof Ir.SetAdd a) {
                code.localGet(a.set()).localGet(a.value()).call(runtime("pc_set_add"));
            } else if (s instanceof Ir.ObjectInsert o) {
                code.localGet(o.object()).localGet(o.key()).localGet(o.value());
                if (o.msg() == null) {
                    code.call(runtime("pc_obj_insert"));
                } else {
                    code.i32Const(pool.cstring(o.msg())).call(runtime("pc_obj_insert_once"));
                }
            } else {
                throw new IllegalStateException("no code generation for " + s);
            }
        }

        void constant(Ir.Constant c) {
            if (c instanceof Ir.NullConst) {
                code.call(runtime("pc_null"));
            } else if (c instanceof Ir.BoolConst b) {
                code.i32Const(b.value() ? 1 : 0).call(runtime("pc_bool"));
            } else if (c instanceof Ir.IntConst i) {
                code.i64Const(i.value()).call(runtime("pc_int"));
            } else if (c instanceof Ir.NumConst n) {
                code.i32Const(pool.string(n.text())).i32Const(ConstantPool.utf8Length(n.text())).call(runtime("pc_num"));
            } else if (c instanceof Ir.StringConst s) {
                code.i32Const(pool.string(s.value())).i32Const(ConstantPool.utf8Length(s.value())).call(runtime("pc_str"));
            }
        }

        /** Fails unless the local is defined and of one of the types. */
        void typeIn(Ir.TypeIn t) {
            code.localGet(t.local()).i32Eqz().brIf(fail());
            int tag = nextLocal++;
            code.localGet(t.local()).call(runtime("pc_type")).localSet(tag);
            code.block();
            for (Ir.Type ty : java.util.EnumSet.copyOf(t.types())) { // a fixed order: builds are reproducible
                code.localGet(tag).i32Const(ty.tag()).i32Eq().brIf(0);
            }
            code.br(fail());
            code.end();
        }

        void shape(int src, int type, int size) {
            code.localGet(src).call(runtime("pc_type")).i32Const(type).i32Ne().brIf(fail());
            code.localGet(src).call(runtime("pc_len")).i32Const(size).i32Ne().brIf(fail());
        }

        void scan(Ir.Scan sc) {
            int n = nextLocal++;
            int i = nextLocal++;
            code.localGet(sc.src()).call(runtime("pc_len")).localSet(n);
            code.i32Const(0).localSet(i);
            code.block();
            code.loop();
            code.localGet(i).localGet(n).i32GeS().brIf(1);
            if (read.contains(sc.key())) {
                code.localGet(sc.src()).localGet(i).call(runtime("pc_key_at")).localSet(sc.key());
            }
            if (read.contains(sc.value())) {
                code.localGet(sc.src()).localGet(i).call(runtime("pc_val_at")).localSet(sc.value());
            }
            code.localGet(i).i32Const(1).i32Add().localSet(i);
            block(sc.body());
            code.br(0);
            code.end();
            code.end();
        }

        void call(Ir.Call c) {
            if (c.func().startsWith(Ir.HOST)) {
                int id = program.hostBuiltins().indexOf(c.func().substring(Ir.HOST.length()));
                code.i32Const(id).i32Const(0);
                c.args().forEach(code::localGet);
                code.call(rt.importedFunctionIndex("env", "opa_builtin" + c.args().size()));
            } else {
                c.args().forEach(code::localGet);
                code.call(c.func().startsWith(Ir.BUILTIN) ? runtime(nativeSymbol(c.func())) : funcIndex.get(c.func()));
            }
            code.localTee(c.target());
            failIfZero();
        }

        private String nativeSymbol(String func) {
            String name = func.substring(Ir.BUILTIN.length());
            return BuiltinTable.lookup(name).orElseThrow(() -> new IllegalStateException("no builtin " + name)).symbol();
        }

        void compare(Ir.Compare c) {
            code.localGet(c.a()).localGet(c.b());
            switch (c.op()) {
                case EQ -> code.call(runtime("pc_equal"));
                case NE -> code.call(runtime("pc_equal")).i32Eqz();
                default -> {
                    code.call(runtime("pc_compare")).i32Const(0);
                    switch (c.op()) {
                        case LT -> code.i32LtS();
                        case LE -> code.i32LeS();
                        case GT -> code.i32GtS();
                        default -> code.i32GeS();
                    }
                }
            }
            if (c.target() < 0) {
                failIfZero();
            } else {
                code.call(runtime("pc_bool")).localSet(c.target());
            }
        }
    }
}
