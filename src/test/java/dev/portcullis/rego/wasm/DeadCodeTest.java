package dev.portcullis.rego.wasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.RegoCompiler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadCodeTest {

    @Test
    void everyRuntimeBodyIsReadable() {
        // if the scanner met an instruction it does not know, elimination would silently do nothing
        WasmModule m = RuntimeModule.load().freshModel();
        int calls = 0;
        for (byte[] body : m.code) {
            List<Integer> out = new ArrayList<>();
            DeadCode.calls(body, out::add);
            calls += out.size();
        }
        assertTrue(calls > 100, "the runtime's functions call each other: " + calls);
    }

    @Test
    void callsAreFoundBehindImmediatesOfEveryWidth() {
        Code c = new Code().i64Const(Long.MIN_VALUE).drop().f64Const(1.5).drop().i32Const(-1)
                .i32Load(2, 1 << 20).drop().call(7).block().br(0).end().call(300).end();
        List<Integer> out = new ArrayList<>();
        DeadCode.calls(new GeneratedFunction("f", FuncType.returningNothing(), List.of(ValType.I32), c).encodeBody(),
                out::add);
        assertEquals(List.of(7, 300), out);
    }

    @Test
    void unknownOpcodesAreReported() {
        byte[] simd = {0x00, (byte) 0xFD, 0x0C, 0x0B};
        assertThrows(DeadCode.UnknownInstruction.class, () -> DeadCode.calls(simd, x -> { }));
    }

    @Test
    void linkedPoliciesKeepReachableCodeOnlyAndStillEvaluate() throws Exception {
        RegoCompiler.Result r = RegoCompiler.compile(List.of(new RegoCompiler.Source("p.rego",
                "package p\nn := count(input.xs)\n")), List.of("p/n"));
        WasmModule linked = WasmReader.read(r.wasm());
        WasmModule runtime = RuntimeModule.load().freshModel();
        int emptied = 0;
        for (byte[] body : linked.code) {
            if (java.util.Arrays.equals(body, DeadCode.EMPTY_BODY)) {
                emptied++;
            }
        }
        assertTrue(emptied > 10, "unreachable runtime functions are emptied: " + emptied);
        assertTrue(linked.code.size() >= runtime.code.size(), "indices are kept");
        // a builtin the policy does not call is gone; the one it calls is kept
        int imported = runtime.importedFunctionCount();
        int upper = runtime.findExport("pc_bi_upper").index() - imported;
        int count = runtime.findExport("pc_bi_count").index() - imported;
        assertArrayEquals(DeadCode.EMPTY_BODY, linked.code.get(upper));
        assertFalse(java.util.Arrays.equals(DeadCode.EMPTY_BODY, linked.code.get(count)));

        OpaPolicy policy = OpaPolicy.builder().withPolicy(r.wasm()).build();
        policy.entrypoint("p/n");
        assertEquals("[{\"result\":3}]", policy.evaluate("{\"xs\":[1,2,3]}"));
    }

    @Test
    void elementSegmentTargetsAreKeptWithWhatTheyCall() {
        WasmModule m = RuntimeModule.load().freshModel();
        int imported = m.importedFunctionCount();
        int target = m.findExport("pc_bi_count").index();
        // one active segment: table 0 at i32.const 1, holding only the target
        if (target < 0x80 || target >= 0x4000) {
            throw new IllegalStateException("the test's two-byte LEB needs another index: " + target);
        }
        m.elementSection = new byte[] {1, 0, 0x41, 1, 0x0B, 1, (byte) (target & 0x7F | 0x80), (byte) (target >> 7)};
        m.exports = List.of();
        DeadCode.eliminate(m);
        assertFalse(java.util.Arrays.equals(DeadCode.EMPTY_BODY, m.code.get(target - imported)),
                "a call_indirect target must survive");
        long kept = m.code.stream().filter(b -> !java.util.Arrays.equals(b, DeadCode.EMPTY_BODY)).count();
        assertTrue(kept > 1 && kept < m.code.size(), "the target's callees are kept, the rest emptied: " + kept);
    }

    @Test
    void modulesWithExpressionElementSegmentsAreLeftAlone() {
        WasmModule m = RuntimeModule.load().freshModel();
        m.elementSection = new byte[] {1, 4, 0x41, 1, 0x0B, 1, (byte) 0xD2, 0, 0x0B};
        List<byte[]> before = new ArrayList<>(m.code);
        m.exports = List.of();
        DeadCode.eliminate(m);
        assertEquals(before, m.code);
    }
}
