package dev.portcullis.rego.wasm;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import dev.portcullis.rego.wasm.WasmModule.Export;
import dev.portcullis.rego.wasm.WasmModule.FuncImport;
import dev.portcullis.rego.wasm.WasmModule.Global;
import dev.portcullis.rego.wasm.WasmModule.Import;
import dev.portcullis.rego.wasm.WasmModule.Limits;
import dev.portcullis.rego.wasm.WasmModule.MemoryImport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Shared fixtures: the OPA demo policy, a hand-built fake runtime, and Chicory instantiation. */
final class WasmTestSupport {
    private WasmTestSupport() {
    }

    /** Bytes from int literals, so tests can write 0x80 without casts. */
    static byte[] bytes(int... v) {
        byte[] r = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (byte) v[i];
        }
        return r;
    }

    static byte[] demoPolicy() {
        try (InputStream in = WasmTestSupport.class.getResourceAsStream("/demo-policy.wasm")) {
            if (in == null) {
                throw new IllegalStateException("/demo-policy.wasm not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final int FAKE_HEAP_BASE = 70001;           // constantBase() rounds this to 70016
    static final byte[] FAKE_RUNTIME_DATA = "runtime-data".getBytes(StandardCharsets.UTF_8);

    /**
     * A small runtime lookalike: the OPA imports, the ABI exports (with the demo policy's signatures),
     * the four pc_* stubs, an extra export that must disappear, a mutable global, a data segment,
     * a name section and a producers section. {@code eval} calls pc_plan_eval(ctx, 0, 0), {@code builtins}
     * and {@code entrypoints} call their json stubs, {@code opa_heap_ptr_get} calls pc_heap_base.
     */
    static byte[] fakeRuntime() {
        WasmModule demo = WasmReader.read(demoPolicy());
        WasmModule m = new WasmModule();
        m.imports = new ArrayList<>();
        Map<Integer, String> names = new TreeMap<>();
        for (Import i : demo.imports) {
            if (i.desc() instanceof FuncImport f) {
                names.put(m.imports.size(), i.name());
                m.imports.add(new Import(i.module(), i.name(), new FuncImport(m.internType(demo.types.get(f.typeIndex())))));
            }
        }
        m.imports.add(new Import("env", "memory", new MemoryImport(new Limits(0, 2, null))));
        int base = m.imports.size() - 1; // function imports count
        m.functions = new ArrayList<>();
        m.code = new ArrayList<>();
        m.exports = new ArrayList<>();

        Map<String, FuncType> sigs = new LinkedHashMap<>();
        sigs.put("pc_plan_eval", FuncType.i32s(3));
        sigs.put("pc_builtins_json", FuncType.i32s(0));
        sigs.put("pc_entrypoints_json", FuncType.i32s(0));
        sigs.put("pc_heap_base", FuncType.i32s(0));
        for (String abi : Linker.ABI_FUNCTION_EXPORTS) {
            Export e = demo.findExport(abi);
            sigs.put(abi, demo.types.get(demo.functionTypeIndex(e.index())));
        }
        sigs.put("internal_helper", FuncType.i32s(1));
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String n : sigs.keySet()) {
            index.put(n, base + index.size());
        }
        for (Map.Entry<String, FuncType> e : sigs.entrySet()) {
            String n = e.getKey();
            FuncType t = e.getValue();
            Code c = new Code();
            switch (n) {
                case "pc_heap_base" -> c.i32Const(FAKE_HEAP_BASE);
                case "eval" -> c.localGet(0).i32Const(0).i32Const(0).call(index.get("pc_plan_eval"));
                case "builtins" -> c.call(index.get("pc_builtins_json"));
                case "entrypoints" -> c.call(index.get("pc_entrypoints_json"));
                case "opa_heap_ptr_get" -> c.call(index.get("pc_heap_base"));
                default -> {
                    for (ValType r : t.results()) {
                        switch (r) {
                            case I32 -> c.i32Const(0);
                            case I64 -> c.i64Const(0);
                            case F32 -> c.f32Const(0);
                            case F64 -> c.f64Const(0);
                        }
                    }
                }
            }
            c.end();
            m.functions.add(m.internType(t));
            m.code.add(new GeneratedFunction(n, t, List.of(ValType.I32), c).encodeBody());
            m.exports.add(new Export(n, WasmModule.KIND_FUNC, index.get(n)));
            names.put(index.get(n), n);
        }
        m.globals = new ArrayList<>(List.of(new Global(0x7F, true, Global.i32Init(65536))));
        m.data = new ArrayList<>(List.of(WasmModule.DataSegment.active(1024, FAKE_RUNTIME_DATA)));
        NameSection ns = new NameSection();
        ns.setNameMap(NameSection.FUNCTIONS, names);
        ns.setNameMap(NameSection.GLOBALS, Map.of(0, "__stack_pointer"));
        m.customSections.add(new WasmModule.CustomSection("name", ns.encode(), WasmModule.DATA));
        m.customSections.add(new WasmModule.CustomSection("producers", new byte[] {0}, WasmModule.DATA));
        return WasmWriter.write(m);
    }

    static com.dylibso.chicory.wasm.types.ValType chicory(ValType t) {
        return switch (t) {
            case I32 -> com.dylibso.chicory.wasm.types.ValType.I32;
            case I64 -> com.dylibso.chicory.wasm.types.ValType.I64;
            case F32 -> com.dylibso.chicory.wasm.types.ValType.F32;
            case F64 -> com.dylibso.chicory.wasm.types.ValType.F64;
        };
    }

    /** Instantiates {@code wasm} with Chicory (which validates it), providing trapping host functions and a memory. */
    static Instance instantiate(byte[] wasm) {
        WasmModule m = WasmReader.read(wasm);
        ImportValues.Builder iv = ImportValues.builder();
        for (Import i : m.imports) {
            if (i.desc() instanceof FuncImport f) {
                FuncType t = m.types.get(f.typeIndex());
                FunctionType ct = FunctionType.of(t.params().stream().map(WasmTestSupport::chicory).toList(),
                        t.results().stream().map(WasmTestSupport::chicory).toList());
                iv.addFunction(new HostFunction(i.module(), i.name(), ct, (inst, args) -> {
                    throw new IllegalStateException("host function " + i.name() + " called");
                }));
            } else if (i.desc() instanceof MemoryImport mi) {
                iv.addMemory(new ImportMemory(i.module(), i.name(),
                        new ByteArrayMemory(new MemoryLimits((int) mi.limits().min()))));
            }
        }
        return Instance.builder(Parser.parse(wasm)).withImportValues(iv.build()).build();
    }

    static String cString(Instance inst, int addr) {
        StringBuilder sb = new StringBuilder();
        for (int a = addr; ; a++) {
            byte b = inst.memory().read(a);
            if (b == 0) {
                return sb.toString();
            }
            sb.append((char) b);
        }
    }
}
