package dev.portcullis.rego.wasm;

import dev.portcullis.rego.wasm.WasmModule.CustomSection;
import dev.portcullis.rego.wasm.WasmModule.DataSegment;
import dev.portcullis.rego.wasm.WasmModule.Export;
import dev.portcullis.rego.wasm.WasmModule.Global;
import dev.portcullis.rego.wasm.WasmModule.Import;
import dev.portcullis.rego.wasm.WasmModule.Limits;
import dev.portcullis.rego.wasm.WasmModule.MemoryImport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the runtime plus generated code and data into the final OPA-ABI policy module. */
public final class Linker {
    private Linker() {
    }

    /** Function exports of the OPA Wasm ABI (1.3); every other runtime export is dropped. */
    public static final List<String> ABI_FUNCTION_EXPORTS = List.of("eval", "builtins", "entrypoints", "opa_eval",
            "opa_eval_ctx_new", "opa_eval_ctx_set_input", "opa_eval_ctx_set_data", "opa_eval_ctx_set_entrypoint",
            "opa_eval_ctx_get_result", "opa_malloc", "opa_free", "opa_json_parse", "opa_value_parse",
            "opa_json_dump", "opa_value_dump", "opa_value_free", "opa_heap_ptr_get", "opa_heap_ptr_set",
            "opa_heap_blocks_stash", "opa_heap_stash_clear", "opa_heap_blocks_restore", "opa_value_add_path",
            "opa_value_remove_path");

    public static final String MEMORY_EXPORT = "memory";
    public static final String ABI_VERSION_EXPORT = "opa_wasm_abi_version";
    public static final String ABI_MINOR_VERSION_EXPORT = "opa_wasm_abi_minor_version";
    public static final int ABI_VERSION = 1;
    public static final int ABI_MINOR_VERSION = 3;

    /** Name (in the name section) of the data segment holding the generated constants. */
    public static final String CONSTANT_SEGMENT_NAME = ".portcullis.constants";

    private static final long PAGE = 65536;

    /**
     * Links the module.
     *
     * @param rt         the runtime
     * @param functions  appended after all runtime functions in order; the i-th gets index
     *                   {@code rt.functionCount() + i}
     * @param stubBodies runtime function export name → replacement (same type required) whose locals and body
     *                   replace the runtime function's; processed in name order
     * @param data       bytes placed at {@code rt.constantBase()} as a new active data segment (may be empty)
     * <p>Other effects: every export except the OPA ABI functions is dropped; {@code memory} (memory 0) and the
     * immutable i32 globals {@code opa_wasm_abi_version} = 1 / {@code opa_wasm_abi_minor_version} = 3 (appended after
     * the runtime's globals) are exported; the body of {@code pc_heap_base} becomes
     * {@code i32.const align16(constantBase + data.length)}; the minimum page count of memory 0 is raised to cover
     * that address; runtime functions no export reaches get empty bodies ({@link DeadCode}); the {@code name} section gains the generated functions' names; DWARF/relocation custom
     * sections are dropped. No imports are added, so runtime function indices stay valid.
     *
     * @return the final module bytes
     * @throws IllegalArgumentException if a stub names no runtime function or has the wrong type
     * @throws IllegalStateException    if the runtime lacks an ABI export or memory, or a body has unclosed blocks
     */
    public static byte[] link(RuntimeModule rt, List<GeneratedFunction> functions,
            Map<String, GeneratedFunction> stubBodies, byte[] data) {
        WasmModule m = rt.freshModel();
        int importedFuncs = m.importedFunctionCount();
        if (m.functions == null) {
            m.functions = new ArrayList<>();
            m.code = new ArrayList<>();
        }

        // 1. stub bodies
        for (Map.Entry<String, GeneratedFunction> e : new TreeMap<>(stubBodies).entrySet()) {
            String name = e.getKey();
            if (name.equals(RuntimeModule.HEAP_BASE_EXPORT)) {
                throw new IllegalArgumentException(name + " is rewritten by the linker and cannot be stubbed");
            }
            int idx = rt.functionIndex(name);
            if (idx < importedFuncs) {
                throw new IllegalArgumentException("runtime export " + name + " is an imported function");
            }
            FuncType expected = rt.functionType(idx);
            if (!expected.equals(e.getValue().type())) {
                throw new IllegalArgumentException("stub " + name + " has type " + e.getValue().type()
                        + " but the runtime function has type " + expected);
            }
            m.code.set(idx - importedFuncs, e.getValue().encodeBody());
        }

        // 2. generated functions
        for (GeneratedFunction f : functions) {
            m.functions.add(m.internType(f.type()));
            m.code.add(f.encodeBody());
        }

        // 3. constant data and heap base
        int base = rt.constantBase();
        long end = RuntimeModule.align16((long) base + data.length);
        if (data.length > 0) {
            if (m.data == null) {
                m.data = new ArrayList<>();
            }
            m.data.add(DataSegment.active(base, data.clone()));
            if (m.dataCount != null) {
                m.dataCount = m.data.size();
            }
        }
        if (rt.hasFunctionExport(RuntimeModule.HEAP_BASE_EXPORT)) {
            int hb = rt.functionIndex(RuntimeModule.HEAP_BASE_EXPORT);
            if (hb < importedFuncs || !rt.functionType(hb).equals(FuncType.i32s(0))) {
                throw new IllegalStateException(RuntimeModule.HEAP_BASE_EXPORT + " must be a defined () -> i32 function");
            }
            Code c = new Code().i32Const((int) end);
            m.code.set(hb - importedFuncs, new GeneratedFunction(RuntimeModule.HEAP_BASE_EXPORT, FuncType.i32s(0),
                    List.of(), c).encodeBody());
        } else if (data.length > 0) {
            throw new IllegalStateException("runtime does not export " + RuntimeModule.HEAP_BASE_EXPORT
                    + "; cannot place constant data");
        }
        ensureMemoryCovers(m, end);

        // 4. ABI globals, appended after all existing globals
        if (m.globals == null) {
            m.globals = new ArrayList<>();
        }
        int versionGlobal = m.importCount(WasmModule.KIND_GLOBAL) + m.globals.size();
        m.globals.add(new Global(ValType.I32.code() & 0xFF, false, Global.i32Init(ABI_VERSION)));
        m.globals.add(new Global(ValType.I32.code() & 0xFF, false, Global.i32Init(ABI_MINOR_VERSION)));

        // 5. exports: memory, the ABI functions, the ABI globals
        List<Export> exports = new ArrayList<>();
        if (m.importCount(WasmModule.KIND_MEMORY) + (m.memories == null ? 0 : m.memories.size()) == 0) {
            throw new IllegalStateException("runtime has no memory");
        }
        exports.add(new Export(MEMORY_EXPORT, WasmModule.KIND_MEMORY, 0));
        List<String> missing = new ArrayList<>();
        for (String name : ABI_FUNCTION_EXPORTS) {
            Export e = m.findExport(name);
            if (e == null || e.kind() != WasmModule.KIND_FUNC) {
                missing.add(name);
            } else {
                exports.add(new Export(name, WasmModule.KIND_FUNC, e.index()));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("runtime lacks OPA ABI function exports " + missing);
        }
        exports.add(new Export(ABI_VERSION_EXPORT, WasmModule.KIND_GLOBAL, versionGlobal));
        exports.add(new Export(ABI_MINOR_VERSION_EXPORT, WasmModule.KIND_GLOBAL, versionGlobal + 1));
        m.exports = exports;
        DeadCode.eliminate(m);

        // 6. names; custom sections describing code offsets would be stale after rewriting bodies
        m.customSections.removeIf(c -> c.name().startsWith(".debug") || c.name().startsWith("reloc.")
                || c.name().equals("linking") || c.name().equals("sourceMappingURL"));
        updateNames(m, rt.functionCount(), functions, versionGlobal,
                data.length > 0 ? m.data.size() - 1 : -1);

        return WasmWriter.write(m);
    }

    private static void ensureMemoryCovers(WasmModule m, long endAddress) {
        long pages = (endAddress + PAGE - 1) / PAGE;
        if (m.imports != null) {
            for (int i = 0; i < m.imports.size(); i++) {
                Import imp = m.imports.get(i);
                if (imp.desc() instanceof MemoryImport mi) {
                    m.imports.set(i, new Import(imp.module(), imp.name(), new MemoryImport(raise(mi.limits(), pages))));
                    return;
                }
            }
        }
        if (m.memories != null && !m.memories.isEmpty()) {
            m.memories.set(0, raise(m.memories.get(0), pages));
        }
    }

    private static Limits raise(Limits l, long pages) {
        if (l.min() >= pages) {
            return l;
        }
        if (l.max() != null && l.max() < pages) {
            throw new IllegalStateException("constant data needs " + pages + " memory pages but the maximum is "
                    + l.max());
        }
        return l.withMin(pages);
    }

    private static void updateNames(WasmModule m, int firstGenerated, List<GeneratedFunction> functions,
            int versionGlobal, int constantSegment) {
        CustomSection old = m.findCustom("name");
        NameSection names = old == null ? new NameSection() : NameSection.parse(old.payload());
        TreeMap<Integer, String> fnames = names.nameMap(NameSection.FUNCTIONS);
        for (int i = 0; i < functions.size(); i++) {
            fnames.put(firstGenerated + i, functions.get(i).name());
        }
        names.setNameMap(NameSection.FUNCTIONS, fnames);
        TreeMap<Integer, String> gnames = names.nameMap(NameSection.GLOBALS);
        gnames.put(versionGlobal, ABI_VERSION_EXPORT);
        gnames.put(versionGlobal + 1, ABI_MINOR_VERSION_EXPORT);
        names.setNameMap(NameSection.GLOBALS, gnames);
        if (constantSegment >= 0) {
            TreeMap<Integer, String> dnames = names.nameMap(NameSection.DATA_SEGMENTS);
            dnames.put(constantSegment, CONSTANT_SEGMENT_NAME);
            names.setNameMap(NameSection.DATA_SEGMENTS, dnames);
        }
        CustomSection updated = new CustomSection("name", names.encode(),
                old == null ? WasmModule.DATA : old.after());
        if (old == null) {
            m.customSections.add(updated);
        } else {
            m.customSections.set(m.customSections.indexOf(old), updated);
        }
    }
}
