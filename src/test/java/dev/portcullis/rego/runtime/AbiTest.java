package dev.portcullis.rego.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dylibso.chicory.wasm.types.ExternalType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The OPA ABI surface, the codegen contract (exports vs codegen_api.h) and the allocator. */
class AbiTest {

    private final RuntimeHarness rt = new RuntimeHarness();

    private static final List<String> OPA_EXPORTS = List.of(
            "opa_eval_ctx_new", "opa_eval_ctx_set_input", "opa_eval_ctx_set_data", "opa_eval_ctx_set_entrypoint",
            "opa_eval_ctx_get_result", "eval", "opa_eval", "opa_malloc", "opa_free", "opa_json_parse",
            "opa_value_parse", "opa_json_dump", "opa_value_dump", "opa_value_free", "opa_heap_ptr_get",
            "opa_heap_ptr_set", "opa_heap_blocks_stash", "opa_heap_stash_clear", "opa_heap_blocks_restore",
            "opa_value_add_path", "opa_value_remove_path", "builtins", "entrypoints");

    private static Set<String> exportNames() {
        Set<String> names = new TreeSet<>();
        var exports = RuntimeHarness.MODULE.exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            names.add(exports.getExport(i).name());
        }
        return names;
    }

    @Test
    void exportsTheOpaAbi() {
        assertTrue(exportNames().containsAll(OPA_EXPORTS), () -> "missing: " + missing(OPA_EXPORTS));
    }

    @Test
    void exportsEveryFunctionOfTheCodegenContract() throws IOException {
        Path header = Path.of("src/main/c/runtime/codegen_api.h");
        if (!Files.exists(header)) {
            return; // not run from the project root
        }
        String text = Files.readString(header, StandardCharsets.UTF_8).replaceAll("/\\*.*?\\*/", " ");
        text = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL).matcher(text).replaceAll(" ");
        Matcher m = Pattern.compile("\\b(pc_[a-z0-9_]+)\\s*\\(").matcher(text);
        List<String> declared = new ArrayList<>();
        while (m.find()) {
            declared.add(m.group(1));
        }
        assertTrue(declared.size() > 60, "parsed " + declared);
        assertTrue(exportNames().containsAll(declared), () -> "missing: " + missing(declared));
    }

    private static List<String> missing(List<String> wanted) {
        Set<String> have = exportNames();
        return wanted.stream().filter(n -> !have.contains(n)).toList();
    }

    @Test
    void importsExactlyTheOpaHostFunctionsAndMemory() {
        var imports = RuntimeHarness.MODULE.importSection();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < imports.importCount(); i++) {
            var imp = imports.getImport(i);
            assertEquals("env", imp.module());
            names.add(imp.name() + (imp.importType() == ExternalType.MEMORY ? ":memory" : ""));
        }
        assertEquals(new TreeSet<>(List.of("memory:memory", "opa_abort", "opa_builtin0", "opa_builtin1",
                "opa_builtin2", "opa_builtin3", "opa_builtin4")), names);
    }

    @Test
    void evalWithStubPlanIsUndefined() {
        int ctx = rt.call("opa_eval_ctx_new");
        rt.call("opa_eval_ctx_set_input", ctx, rt.json("{\"x\":1}"));
        rt.call("opa_eval_ctx_set_data", ctx, rt.json("{}"));
        rt.call("opa_eval_ctx_set_entrypoint", ctx, 0);
        assertEquals(0, rt.call("eval", ctx));
        assertEquals("[]", rt.dump(rt.call("opa_eval_ctx_get_result", ctx)));
    }

    @Test
    void oneShotEvalReturnsResultSetText() {
        int data = rt.json("{}");
        byte[] input = "{\"user\":\"alice\"}".getBytes(StandardCharsets.UTF_8);
        int inputAddr = rt.bytes(input);
        int heap = rt.call("opa_heap_ptr_get");
        int out = rt.call("opa_eval", 0, 0, data, inputAddr, input.length, heap, 0);
        assertEquals("[]", rt.readCString(out));
        assertTrue(out >= heap);
        // malformed input is reported through opa_abort
        byte[] bad = "{".getBytes(StandardCharsets.UTF_8);
        int badAddr = rt.bytes(bad);
        int heap2 = rt.call("opa_heap_ptr_get");
        var e = assertThrows(RuntimeException.class,
                () -> rt.call("opa_eval", 0, 0, data, badAddr, bad.length, heap2, 0));
        assertTrue(rootMessage(e).contains("not valid JSON"), rootMessage(e));
    }

    @Test
    void builtinsAndEntrypointsStubsAreEmptyObjects() {
        assertEquals("{}", rt.dump(rt.call("builtins")));
        assertEquals("{}", rt.dump(rt.call("entrypoints")));
        assertEquals("{}", rt.readCString(rt.call("pc_builtins_json")));
        assertEquals(0, rt.call("pc_plan_eval", 0, 0, 0));
    }

    @Test
    void heapStartsAtHeapBaseAndResets() {
        int base = rt.call("pc_heap_base");
        assertTrue(base >= 65536, "data follows the 64 KiB stack");
        assertEquals(0, base % 16);
        assertEquals(base, rt.call("opa_heap_ptr_get"));
        int a = rt.call("opa_malloc", 10);
        assertEquals(base, a);
        int b = rt.call("opa_malloc", 1);
        assertEquals(0, b % 8, "8-byte alignment");
        assertTrue(b >= a + 10);
        rt.call("opa_heap_ptr_set", a);
        assertEquals(a, rt.call("opa_malloc", 4), "reset rewinds the bump pointer");
        rt.call("opa_heap_blocks_stash");
        rt.call("opa_heap_stash_clear");
        rt.call("opa_heap_blocks_restore");
        rt.call("opa_free", a);
        rt.call("opa_value_free", a);
    }

    @Test
    void allocatorGrowsMemory() {
        int pages = rt.memory.pages();
        int big = rt.call("opa_malloc", 5 * 65536);
        assertTrue(rt.memory.pages() > pages);
        rt.memory.writeByte(big + 5 * 65536 - 1, (byte) 1); // in bounds
        // many small values also grow memory
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 50_000; i++) {
            sb.append(i == 0 ? "" : ",").append("\"s").append(i).append('"');
        }
        int v = rt.json(sb.append(']').toString());
        assertEquals(50_000, rt.call("pc_len", v));
    }

    @Test
    void outOfMemoryAborts() {
        var e = assertThrows(RuntimeException.class, () -> rt.call("opa_malloc", 0xFFFF0000L));
        assertTrue(rootMessage(e).contains("out of memory"), rootMessage(e));
    }

    @Test
    void insertOnceAbortsOnConflict() {
        int obj = rt.call("pc_obj_new");
        int msg = rt.cstring("policy.rego:3: conflicting values for rule x");
        rt.call("pc_obj_insert_once", obj, rt.str("k"), rt.value("1"), msg);
        rt.call("pc_obj_insert_once", obj, rt.str("k"), rt.value("1.0"), msg); // equal: fine
        assertEquals("{\"k\":1}", rt.dump(obj));
        var e = assertThrows(RuntimeException.class,
                () -> rt.call("pc_obj_insert_once", obj, rt.str("k"), rt.value("2"), msg));
        assertEquals("policy.rego:3: conflicting values for rule x", rootMessage(e));
    }

    @Test
    void collectionsAccessAndIteration() {
        int arr = rt.call("pc_arr_new", 0);
        rt.call("pc_arr_push", arr, rt.str("x"));
        rt.call("pc_arr_push", arr, rt.value("2"));
        assertEquals("[\"x\",2]", rt.dump(arr));
        assertEquals(2, rt.call("pc_len", arr));
        assertEquals("1", rt.vdump(rt.call("pc_key_at", arr, 1)));
        assertEquals("2", rt.vdump(rt.call("pc_val_at", arr, 1)));
        assertEquals("\"x\"", rt.vdump(rt.call("pc_dot", arr, rt.value("0"))));
        // OPA indexes arrays with Number.Int(): the text must be an integer, so arr[0.0] is undefined
        assertEquals(0, rt.call("pc_dot", arr, rt.value("0.0")));
        assertEquals(0, rt.call("pc_dot", arr, rt.value("2")));
        assertEquals(0, rt.call("pc_dot", arr, rt.value("-1")));
        assertEquals(0, rt.call("pc_dot", arr, rt.value("0.5")));
        assertEquals(0, rt.call("pc_dot", arr, rt.str("0")));
        assertEquals(0, rt.call("pc_key_at", arr, 2));

        int obj = rt.call("pc_obj_new");
        for (String k : List.of("c", "a", "b")) {
            rt.call("pc_obj_insert", obj, rt.str(k), rt.str(k.toUpperCase()));
        }
        rt.call("pc_obj_insert", obj, rt.str("a"), rt.str("A2"));
        assertEquals("{\"a\":\"A2\",\"b\":\"B\",\"c\":\"C\"}", rt.dump(obj));
        assertEquals("\"b\"", rt.vdump(rt.call("pc_key_at", obj, 1)));
        assertEquals("\"B\"", rt.vdump(rt.call("pc_val_at", obj, 1)));
        assertEquals("\"C\"", rt.vdump(rt.call("pc_dot", obj, rt.str("c"))));
        assertEquals(0, rt.call("pc_dot", obj, rt.str("z")));

        int set = rt.call("pc_set_new");
        for (String v : List.of("3", "1", "2", "1", "[]")) {
            rt.call("pc_set_add", set, rt.value(v));
        }
        assertEquals("{1,2,3,[]}", rt.vdump(set));
        assertEquals("2", rt.vdump(rt.call("pc_key_at", set, 1)));
        assertEquals("2", rt.vdump(rt.call("pc_val_at", set, 1)));
        assertEquals("3", rt.vdump(rt.call("pc_dot", set, rt.value("3.0"))));
        assertEquals(0, rt.call("pc_dot", set, rt.value("4")));

        assertEquals(0, rt.call("pc_len", rt.value("\"abc\"")));
        assertEquals(0, rt.call("pc_dot", rt.value("\"abc\""), rt.value("0")));
        assertEquals(4, rt.call("pc_type", rt.value("\"abc\"")));
        assertEquals(7, rt.call("pc_type", set));
        assertEquals(1, rt.call("pc_type", rt.value("null")));
    }

    @Test
    void stringsReferenceTheirBytes() {
        int addr = rt.cstring("hello world");
        int s = rt.call("pc_str", addr, 5);
        assertEquals("\"hello\"", rt.dump(s));
    }

    @Test
    void addAndRemovePath() {
        int data = rt.json("{\"a\":{\"b\":1},\"x\":2}");
        assertEquals(0, rt.call("opa_value_add_path", data, rt.json("[\"a\",\"c\"]"), rt.json("[3]")));
        assertEquals(0, rt.call("opa_value_add_path", data, rt.json("[\"n\",\"m\",\"o\"]"), rt.json("true")));
        assertEquals(0, rt.call("opa_value_add_path", data, rt.json("[\"x\"]"), rt.json("5")));
        assertEquals("{\"a\":{\"b\":1,\"c\":[3]},\"n\":{\"m\":{\"o\":true}},\"x\":5}", rt.dump(data));
        assertNotEquals(0, rt.call("opa_value_add_path", data, rt.json("[]"), rt.json("1")));
        assertNotEquals(0, rt.call("opa_value_add_path", data, rt.json("\"a\""), rt.json("1")));
        assertNotEquals(0, rt.call("opa_value_add_path", data, rt.json("[\"x\",\"y\"]"), rt.json("1")));

        assertEquals(0, rt.call("opa_value_remove_path", data, rt.json("[\"a\",\"b\"]")));
        assertEquals(0, rt.call("opa_value_remove_path", data, rt.json("[\"n\"]")));
        assertEquals(0, rt.call("opa_value_remove_path", data, rt.json("[\"missing\",\"deeper\"]")));
        assertEquals("{\"a\":{\"c\":[3]},\"x\":5}", rt.dump(data));
        assertNotEquals(0, rt.call("opa_value_remove_path", data, rt.json("[]")));
    }

    @Test
    void hostBuiltinsAreReachable() {
        rt.builtinResult = rt.str("formatted");
        int fmt = rt.str("%d");
        int args = rt.json("[1]");
        int r = rt.call("pc_host_builtin", 2, 7, fmt, args, 0, 0);
        assertEquals("\"formatted\"", rt.dump(r));
        rt.call("pc_host_builtin", 0, 1, 0, 0, 0, 0);
        rt.call("pc_host_builtin", 4, 2, 1, 2, 3, 4);
        assertEquals(List.of("2:7:0:" + fmt + ":" + args, "0:1:0", "4:2:0:1:2:3:4"), rt.builtinCalls);
    }

    private int nestedArrays(int depth) {
        int v = rt.call("pc_arr_new", 0);
        for (int i = 0; i < depth; i++) {
            int outer = rt.call("pc_arr_new", 1);
            rt.call("pc_arr_push", outer, v);
            v = outer;
        }
        return v;
    }

    @Test
    void deepValuesAbortInsteadOfTrapping() {
        // generated code can build values deeper than the parser accepts; walking them must fail cleanly
        int a = nestedArrays(5000);
        int b = nestedArrays(5000);
        for (String fn : List.of("opa_json_dump", "opa_value_dump")) {
            var e = assertThrows(RuntimeException.class, () -> rt.call(fn, a));
            assertTrue(rootMessage(e).contains("stack exhausted"), rootMessage(e));
        }
        for (String fn : List.of("pc_equal", "pc_compare")) {
            var e = assertThrows(RuntimeException.class, () -> rt.call(fn, a, b));
            assertTrue(rootMessage(e).contains("stack exhausted"), rootMessage(e));
        }
        int oa = rt.json("{\"x\":1}");
        int deepObj = oa;
        for (int i = 0; i < 2000; i++) {
            int o = rt.call("pc_obj_new");
            rt.call("pc_obj_insert", o, rt.str("x"), deepObj);
            deepObj = o;
        }
        final int d = deepObj;
        var e = assertThrows(RuntimeException.class, () -> rt.call("pc_bi_object_union", d, d));
        assertTrue(rootMessage(e).contains("stack exhausted"), rootMessage(e));
        // just below the limit is fine (once the host has reset the stack the aborts left behind)
        rt.call("opa_heap_ptr_set", rt.call("opa_heap_ptr_get"));
        assertEquals(1, rt.call("pc_equal", nestedArrays(1000), nestedArrays(1000)));
    }

    @Test
    void abortsDoNotLeakTheShadowStack() {
        int heap = rt.call("opa_heap_ptr_get");
        int deep = nestedArrays(5000);
        for (int i = 0; i < 50; i++) {
            assertThrows(RuntimeException.class, () -> rt.call("opa_json_dump", deep));
            rt.call("opa_heap_ptr_set", rt.call("opa_heap_ptr_get")); // what hosts do before an evaluation
        }
        rt.call("opa_heap_ptr_set", heap);
        String nested = "[".repeat(900) + "]".repeat(900);
        assertEquals(nested, rt.roundTrip(nested));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (!(t instanceof RuntimeHarness.Abort) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeHarness.Abort ? t.getMessage() : String.valueOf(e);
    }
}
