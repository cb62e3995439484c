package dev.portcullis.rego.runtime;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Instantiates runtime.wasm (from the classpath) with test host imports and wraps its exports. */
final class RuntimeHarness {

    /** Thrown by the opa_abort host import; carries the runtime's message. */
    static final class Abort extends RuntimeException {
        Abort(String message) {
            super(message);
        }
    }

    static final byte[] WASM = load();
    static final WasmModule MODULE = Parser.parse(WASM);

    final Instance instance;
    final Memory memory;
    /** Calls to opa_builtinN as "arity:id:ctx:args...". */
    final List<String> builtinCalls = Collections.synchronizedList(new ArrayList<>());
    /** Value address returned by every opa_builtinN call. */
    int builtinResult;

    RuntimeHarness() {
        memory = new ByteArrayMemory(new MemoryLimits(2));
        ImportValues.Builder imports = ImportValues.builder()
                .addMemory(new ImportMemory("env", "memory", memory))
                .addFunction(new HostFunction("env", "opa_abort", FunctionType.of(List.of(ValType.I32), List.of()),
                        (inst, args) -> {
                            throw new Abort(inst.memory().readCString((int) args[0], StandardCharsets.UTF_8));
                        }));
        for (int arity = 0; arity <= 4; arity++) {
            List<ValType> params = new ArrayList<>();
            for (int i = 0; i < arity + 2; i++) {
                params.add(ValType.I32);
            }
            final int n = arity;
            imports.addFunction(new HostFunction("env", "opa_builtin" + arity,
                    FunctionType.of(params, List.of(ValType.I32)), (inst, args) -> {
                        StringBuilder sb = new StringBuilder().append(n);
                        for (long a : args) {
                            sb.append(':').append(a);
                        }
                        builtinCalls.add(sb.toString());
                        return new long[] {builtinResult};
                    }));
        }
        instance = Instance.builder(MODULE).withImportValues(imports.build()).build();
    }

    private static byte[] load() {
        try (InputStream in = RuntimeHarness.class.getResourceAsStream("/runtime.wasm")) {
            if (in == null) {
                throw new IllegalStateException("runtime.wasm is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls an export and returns its first result (or 0 for void functions). */
    long callLong(String export, long... args) {
        long[] r = instance.export(export).apply(args);
        return r == null || r.length == 0 ? 0 : r[0];
    }

    int call(String export, long... args) {
        return (int) callLong(export, args);
    }

    /** Copies bytes into a fresh heap block; returns its address. */
    int bytes(byte[] b) {
        int addr = call("opa_malloc", b.length + 1);
        memory.write(addr, b, 0, b.length);
        memory.writeByte(addr + b.length, (byte) 0);
        return addr;
    }

    int cstring(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    String readCString(int addr) {
        return memory.readCString(addr, StandardCharsets.UTF_8);
    }

    /** opa_json_parse; 0 when malformed. */
    int json(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return call("opa_json_parse", bytes(b), b.length);
    }

    /** opa_value_parse (Rego value text); fails the test when malformed. */
    int value(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int v = call("opa_value_parse", bytes(b), b.length);
        if (v == 0) {
            throw new AssertionError("runtime rejected value text: " + text);
        }
        return v;
    }

    int str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return call("pc_str", bytes(b), b.length);
    }

    String dump(int v) {
        return readCString(call("opa_json_dump", v));
    }

    String vdump(int v) {
        return readCString(call("opa_value_dump", v));
    }

    /** JSON text through parse and dump; null when the parser rejects it. */
    String roundTrip(String text) {
        int v = json(text);
        return v == 0 ? null : dump(v);
    }

    /** Calls pc_bi_name with operands given as Rego value text; result in Rego value text or null if undefined. */
    String builtin(String name, String... operands) {
        long[] args = new long[operands.length];
        for (int i = 0; i < operands.length; i++) {
            args[i] = value(operands[i]);
        }
        int r = call("pc_bi_" + name, args);
        return r == 0 ? null : vdump(r);
    }

    /** Calls a two-operand runtime function (pc_plus, ...) on Rego value text. */
    String op(String fn, String a, String b) {
        int r = call(fn, value(a), value(b));
        return r == 0 ? null : vdump(r);
    }

    int compare(String a, String b) {
        return Integer.signum(call("pc_compare", value(a), value(b)));
    }
}
