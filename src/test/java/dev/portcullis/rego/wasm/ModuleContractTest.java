package dev.portcullis.rego.wasm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.dylibso.chicory.runtime.Instance;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.wasm.WasmModule.Export;
import dev.portcullis.rego.wasm.WasmModule.FuncImport;
import dev.portcullis.rego.wasm.WasmModule.Global;
import dev.portcullis.rego.wasm.WasmModule.Import;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Key contract: the real runtime.wasm linked with trivial stubs has exactly the import/export surface
 * of an OPA-compiled policy (demo-policy.wasm from opa-java-wasm).
 */
class ModuleContractTest {

    private static byte[] linked;

    @BeforeAll
    static void link() {
        assertNotNull(ModuleContractTest.class.getResource(RuntimeModule.RESOURCE),
                "runtime.wasm is committed under src/main/resources; rebuild it with make -C src/main/c/runtime");
        RuntimeModule rt = RuntimeModule.load();
        int base = rt.constantBase();
        byte[] data = new byte[32];
        byte[] builtins = "{}\0".getBytes(StandardCharsets.UTF_8);
        byte[] entrypoints = "{\"x\":0}\0".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(builtins, 0, data, 0, builtins.length);
        System.arraycopy(entrypoints, 0, data, 16, entrypoints.length);
        linked = Linker.link(rt, List.of(new GeneratedFunction("unused_generated", FuncType.i32s(0), List.of(),
                        new Code().i32Const(0))),
                Map.of("pc_plan_eval", new GeneratedFunction("pc_plan_eval", FuncType.i32s(3), List.of(),
                                new Code().i32Const(0)),
                        "pc_builtins_json", new GeneratedFunction("pc_builtins_json", FuncType.i32s(0), List.of(),
                                new Code().i32Const(base)),
                        "pc_entrypoints_json", new GeneratedFunction("pc_entrypoints_json", FuncType.i32s(0),
                                List.of(), new Code().i32Const(base + 16))),
                data);
    }

    /** kind:module.name → signature (functions), "memory" or "global <type> <mut>". */
    private static Map<String, String> importSurface(WasmModule m) {
        Map<String, String> s = new TreeMap<>();
        for (Import i : m.imports) {
            String sig = i.desc() instanceof FuncImport f ? m.types.get(f.typeIndex()).toString()
                    : i.desc() instanceof WasmModule.MemoryImport ? "memory" : "kind " + i.desc().kind();
            s.put(i.desc().kind() + ":" + i.module() + "." + i.name(), sig);
        }
        return s;
    }

    private static Map<String, String> exportSurface(WasmModule m) {
        Map<String, String> s = new TreeMap<>();
        int importedGlobals = m.importCount(WasmModule.KIND_GLOBAL);
        for (Export e : m.exports) {
            String sig = switch (e.kind()) {
                case WasmModule.KIND_FUNC -> m.types.get(m.functionTypeIndex(e.index())).toString();
                case WasmModule.KIND_GLOBAL -> {
                    Global g = m.globals.get(e.index() - importedGlobals);
                    yield "global " + g.valType() + (g.mutable() ? " mut" : " const") + " = " + g.constI32();
                }
                default -> "kind " + e.kind() + " index " + e.index();
            };
            s.put(e.kind() + ":" + e.name(), sig);
        }
        return s;
    }

    @Test
    void importsMatchOpaPolicy() {
        WasmModule demo = WasmReader.read(WasmTestSupport.demoPolicy());
        WasmModule ours = WasmReader.read(linked);
        assertEquals(importSurface(demo), importSurface(ours));
    }

    @Test
    void exportsMatchOpaPolicy() {
        WasmModule demo = WasmReader.read(WasmTestSupport.demoPolicy());
        WasmModule ours = WasmReader.read(linked);
        assertEquals(exportSurface(demo), exportSurface(ours));
        assertEquals(demo.exports.size(), ours.exports.size());
    }

    @Test
    void validatesAndInstantiatesInChicory() {
        Instance inst = WasmTestSupport.instantiate(linked);
        assertEquals(1, inst.exports().global("opa_wasm_abi_version").getValue());
        assertEquals(3, inst.exports().global("opa_wasm_abi_minor_version").getValue());
        assertTrue(inst.export("opa_heap_ptr_get").apply()[0] >= RuntimeModule.load().constantBase() + 32);
    }

    @Test
    void opaJavaWasmLoadsAndEvaluates() {
        OpaPolicy policy = OpaPolicy.builder().withPolicy(linked).build();
        assertEquals(Map.of("x", 0), policy.entrypoints());
        // pc_plan_eval returns undefined
        assertEquals("[]", policy.input("{}").evaluate());
    }
}
