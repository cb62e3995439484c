package dev.portcullis.rego.wasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.runtime.Instance;
import dev.portcullis.rego.wasm.WasmModule.Export;
import dev.portcullis.rego.wasm.WasmModule.MemoryImport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkerTest {

    private static final RuntimeModule RT = RuntimeModule.parse(WasmTestSupport.fakeRuntime());

    private static byte[] cstr(String s) {
        return (s + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void runtimeModuleQueries() {
        assertEquals(6, RT.importedFunctionCount());
        assertEquals(6 + 4 + Linker.ABI_FUNCTION_EXPORTS.size() + 1, RT.functionCount());
        assertEquals(6, RT.functionIndex("pc_plan_eval"));
        assertEquals(9, RT.functionIndex("pc_heap_base"));
        assertEquals(FuncType.i32s(3), RT.functionType(RT.functionIndex("pc_plan_eval")));
        assertEquals(2, RT.importedFunctionIndex("env", "opa_builtin2"));
        assertEquals(5, RT.importedFunctionIndex("env", "opa_abort"));
        assertEquals(FuncType.returningNothing(ValType.I32), RT.functionType(5));
        assertEquals(70016, RT.constantBase());
        assertThrows(IllegalArgumentException.class, () -> RT.functionIndex("nope"));
        assertThrows(IllegalArgumentException.class, () -> RT.importedFunctionIndex("env", "nope"));
    }

    @Test
    void constantBaseFallsBackToDataEnd() {
        WasmModule m = WasmReader.read(WasmTestSupport.fakeRuntime());
        m.exports.removeIf(e -> e.name().equals("pc_heap_base"));
        RuntimeModule rt = RuntimeModule.parse(WasmWriter.write(m));
        assertEquals(RuntimeModule.align16(1024 + WasmTestSupport.FAKE_RUNTIME_DATA.length), rt.constantBase());
    }

    private static int baseWithHeapBaseBody(Code body) {
        WasmModule m = WasmReader.read(WasmTestSupport.fakeRuntime());
        int idx = m.findExport("pc_heap_base").index() - m.importedFunctionCount();
        m.code.set(idx, new GeneratedFunction("pc_heap_base", FuncType.i32s(0), List.of(), body).encodeBody());
        return RuntimeModule.parse(WasmWriter.write(m)).constantBase();
    }

    @Test
    void constantBaseFoldsHeapBaseBody() {
        // what clang emits for ((uintptr_t)&__heap_base + 15) & ~15, with a relocation-padded LEB
        assertEquals(66192, baseWithHeapBaseBody(new Code().raw((byte) 0x41, (byte) 0x90, (byte) 0x85, (byte) 0x84,
                (byte) 0x80, (byte) 0x00).i32Const(15).i32Add().i32Const(-16).i32And()));
        assertEquals(80016, baseWithHeapBaseBody(new Code().i32Const(80001)));
        assertEquals(65536, baseWithHeapBaseBody(new Code().globalGet(0).ret()));   // __stack_pointer's init
        // unknown shapes fall back to the end of the data segments
        assertEquals(1040, baseWithHeapBaseBody(new Code().i32Const(1).i32Const(2).call(0)));
    }

    /** Links the fake runtime with one generated function and stubs, then runs it in Chicory. */
    @Test
    void linkedModuleRuns() {
        int base = RT.constantBase();
        int add = RT.functionCount(); // index of the first generated function
        // add(a, b) = a + b, using a local
        GeneratedFunction addFn = new GeneratedFunction("gen_add", FuncType.i32s(2), List.of(ValType.I32),
                new Code().localGet(0).localGet(1).i32Add().localSet(2).localGet(2));
        // pc_plan_eval(ep, input, data) = add(ep, 37)
        GeneratedFunction plan = new GeneratedFunction("pc_plan_eval", FuncType.i32s(3), List.of(),
                new Code().localGet(0).i32Const(37).call(add).end());
        GeneratedFunction builtins = new GeneratedFunction("pc_builtins_json", FuncType.i32s(0), List.of(),
                new Code().i32Const(base));
        GeneratedFunction entrypoints = new GeneratedFunction("pc_entrypoints_json", FuncType.i32s(0), List.of(),
                new Code().i32Const(base + 16));
        byte[] data = new byte[16 + 12];
        System.arraycopy(cstr("{}"), 0, data, 0, 3);
        System.arraycopy(cstr("{\"a/b\":0}"), 0, data, 16, 10);

        byte[] wasm = Linker.link(RT, List.of(addFn),
                Map.of("pc_plan_eval", plan, "pc_builtins_json", builtins, "pc_entrypoints_json", entrypoints), data);

        Instance inst = WasmTestSupport.instantiate(wasm);
        assertEquals(42, inst.export("eval").apply(5)[0]);
        assertEquals("{}", WasmTestSupport.cString(inst, (int) inst.export("builtins").apply()[0]));
        assertEquals("{\"a/b\":0}", WasmTestSupport.cString(inst, (int) inst.export("entrypoints").apply()[0]));
        assertEquals(RuntimeModule.align16(base + data.length), inst.export("opa_heap_ptr_get").apply()[0]);
        assertEquals("runtime-data", new String(inst.memory().readBytes(1024, 12), StandardCharsets.UTF_8));
        assertEquals(1, inst.exports().global("opa_wasm_abi_version").getValue());
        assertEquals(3, inst.exports().global("opa_wasm_abi_minor_version").getValue());

        WasmModule m = WasmReader.read(wasm);
        List<String> expected = new ArrayList<>();
        expected.add("memory");
        expected.addAll(Linker.ABI_FUNCTION_EXPORTS);
        expected.add("opa_wasm_abi_version");
        expected.add("opa_wasm_abi_minor_version");
        assertEquals(expected, m.exports.stream().map(Export::name).toList());
        assertEquals(new Export("memory", WasmModule.KIND_MEMORY, 0), m.exports.get(0));
        // globals appended after the runtime's, immutable
        assertEquals(3, m.globals.size());
        assertEquals(new Export("opa_wasm_abi_version", WasmModule.KIND_GLOBAL, 1), m.findExport("opa_wasm_abi_version"));
        assertTrue(!m.globals.get(1).mutable() && !m.globals.get(2).mutable());
        // no imports added
        assertEquals(WasmReader.read(RT.bytes()).imports, m.imports);
        // names: generated function named, runtime names kept
        NameSection ns = NameSection.parse(m.findCustom("name").payload());
        assertEquals("gen_add", ns.nameMap(NameSection.FUNCTIONS).get(add));
        assertEquals("pc_plan_eval", ns.nameMap(NameSection.FUNCTIONS).get(6));
        assertEquals("opa_wasm_abi_minor_version", ns.nameMap(NameSection.GLOBALS).get(2));
        assertEquals("__stack_pointer", ns.nameMap(NameSection.GLOBALS).get(0));
        assertEquals(Linker.CONSTANT_SEGMENT_NAME, ns.nameMap(NameSection.DATA_SEGMENTS).get(m.data.size() - 1));
        assertTrue(m.findCustom("producers") != null);
        // the constant data segment
        WasmModule.DataSegment seg = m.data.get(m.data.size() - 1);
        assertEquals(base, seg.constOffset());
        assertArrayEquals(data, seg.init());
    }

    @Test
    void linkingIsDeterministic() {
        GeneratedFunction f = new GeneratedFunction("f", FuncType.i32s(0), List.of(), new Code().i32Const(1));
        GeneratedFunction g = new GeneratedFunction("g", FuncType.returning(ValType.I64, ValType.F64),
                List.of(), new Code().i64Const(1));
        GeneratedFunction s1 = new GeneratedFunction("s1", FuncType.i32s(0), List.of(), new Code().i32Const(7));
        GeneratedFunction s2 = new GeneratedFunction("s2", FuncType.i32s(0), List.of(), new Code().i32Const(8));
        Map<String, GeneratedFunction> stubs1 = new java.util.LinkedHashMap<>();
        stubs1.put("pc_builtins_json", s1);
        stubs1.put("pc_entrypoints_json", s2);
        Map<String, GeneratedFunction> stubs2 = new java.util.LinkedHashMap<>();
        stubs2.put("pc_entrypoints_json", s2);
        stubs2.put("pc_builtins_json", s1);
        byte[] a = Linker.link(RT, List.of(f, g), stubs1, new byte[] {1, 2, 3});
        byte[] b = Linker.link(RT, List.of(f, g), stubs2, new byte[] {1, 2, 3});
        assertArrayEquals(a, b);
        // the new type (f64) -> i64 was appended, (i32)... types reused
        WasmModule m = WasmReader.read(a);
        WasmModule orig = WasmReader.read(RT.bytes());
        assertEquals(orig.types.size() + 1, m.types.size());
        assertEquals(FuncType.returning(ValType.I64, ValType.F64), m.types.get(m.types.size() - 1));
        WasmTestSupport.instantiate(a);
    }

    @Test
    void memoryIsGrownToCoverConstantData() {
        byte[] data = new byte[300_000];
        Arrays.fill(data, (byte) 7);
        byte[] wasm = Linker.link(RT, List.of(), Map.of(), data);
        WasmModule m = WasmReader.read(wasm);
        long end = RuntimeModule.align16(RT.constantBase() + (long) data.length);
        MemoryImport mem = (MemoryImport) m.imports.get(m.imports.size() - 1).desc();
        assertEquals((end + 65535) / 65536, mem.limits().min());
        Instance inst = WasmTestSupport.instantiate(wasm);
        assertEquals(7, inst.memory().read(RT.constantBase() + data.length - 1));
        assertEquals(end, inst.export("opa_heap_ptr_get").apply()[0]);

        // small data leaves the page count alone
        WasmModule small = WasmReader.read(Linker.link(RT, List.of(), Map.of(), new byte[0]));
        assertEquals(2, ((MemoryImport) small.imports.get(small.imports.size() - 1).desc()).limits().min());
        assertEquals(WasmReader.read(RT.bytes()).data.size(), small.data.size());
    }

    @Test
    void rejectsBadStubs() {
        GeneratedFunction wrongType = new GeneratedFunction("x", FuncType.i32s(1), List.of(), new Code().i32Const(0));
        assertThrows(IllegalArgumentException.class,
                () -> Linker.link(RT, List.of(), Map.of("pc_builtins_json", wrongType), new byte[0]));
        GeneratedFunction ok = new GeneratedFunction("x", FuncType.i32s(0), List.of(), new Code().i32Const(0));
        assertThrows(IllegalArgumentException.class,
                () -> Linker.link(RT, List.of(), Map.of("no_such_export", ok), new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> Linker.link(RT, List.of(), Map.of("pc_heap_base", ok), new byte[0]));
        GeneratedFunction open = new GeneratedFunction("x", FuncType.i32s(0), List.of(), new Code().blockI32());
        assertThrows(IllegalStateException.class, () -> Linker.link(RT, List.of(open), Map.of(), new byte[0]));
    }

    @Test
    void rejectsRuntimeMissingAbiExports() {
        WasmModule m = WasmReader.read(WasmTestSupport.fakeRuntime());
        m.exports.removeIf(e -> e.name().equals("opa_value_remove_path"));
        RuntimeModule rt = RuntimeModule.parse(WasmWriter.write(m));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Linker.link(rt, List.of(), Map.of(), new byte[0]));
        assertTrue(e.getMessage().contains("opa_value_remove_path"));
    }
}
