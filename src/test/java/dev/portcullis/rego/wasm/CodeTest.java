package dev.portcullis.rego.wasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CodeTest {

    @Test
    void constantsAndVariables() {
        Code c = new Code().i32Const(-1).i32Const(200).i64Const(-129).localGet(3).localSet(128).localTee(0)
                .call(300).globalGet(1).globalSet(2);
        assertArrayEquals(WasmTestSupport.bytes(0x41, 0x7F, 0x41, 0xC8, 0x01, 0x42, 0xFF, 0x7E, 0x20, 0x03, 0x21, 0x80, 0x01,
                0x22, 0x00, 0x10, 0xAC, 0x02, 0x23, 0x01, 0x24, 0x02), c.toBytes());
    }

    @Test
    void floats() {
        assertArrayEquals(WasmTestSupport.bytes(0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F), new Code().f64Const(1.0).toBytes());
        assertArrayEquals(WasmTestSupport.bytes(0x43, 0, 0, 0x80, 0x3F), new Code().f32Const(1.0f).toBytes());
    }

    @Test
    void controlFlowAndDepth() {
        Code c = new Code();
        c.block();
        assertEquals(1, c.depth());
        c.loop().localGet(0).brIf(1).br(0).end();
        assertEquals(1, c.depth());
        c.blockI32().i32Const(1).end().ifI32().i32Const(2).elseThen().i32Const(3).end().drop();
        c.ifThen().unreachable().end();
        c.localGet(0).brTable(new int[] {0, 0}, 0);
        c.end();
        assertEquals(0, c.depth());
        c.ret().select().nop();
        assertArrayEquals(WasmTestSupport.bytes(0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x0D, 0x01, 0x0C, 0x00, 0x0B,
                0x02, 0x7F, 0x41, 0x01, 0x0B, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, 0x1A,
                0x04, 0x40, 0x00, 0x0B, 0x20, 0x00, 0x0E, 0x02, 0x00, 0x00, 0x00, 0x0B, 0x0F, 0x1B, 0x01), c.toBytes());
        assertThrows(IllegalArgumentException.class, () -> new Code().block().br(2));
        assertThrows(IllegalStateException.class, () -> new Code().elseThen());
    }

    @Test
    void endAtDepthZeroClosesTheBody() {
        Code c = new Code().i32Const(0).end();
        assertTrue(c.isClosed());
        assertArrayEquals(WasmTestSupport.bytes(0x41, 0x00), c.toBytes());
        assertThrows(IllegalStateException.class, () -> c.i32Const(1));
        // the function encoding appends the final end exactly once either way
        GeneratedFunction f1 = new GeneratedFunction("f", FuncType.i32s(0), List.of(), c);
        GeneratedFunction f2 = new GeneratedFunction("f", FuncType.i32s(0), List.of(), new Code().i32Const(0));
        assertArrayEquals(WasmTestSupport.bytes(0x00, 0x41, 0x00, 0x0B), f1.encodeBody());
        assertArrayEquals(f1.encodeBody(), f2.encodeBody());
    }

    @Test
    void numericOps() {
        Code c = new Code().i32Eqz().i32Eq().i32Ne().i32LtS().i32LtU().i32GtS().i32GeS().i32LeS().i32Add().i32Sub()
                .i32Mul().i32And().i32Or().i32GtU().i32GeU().i32LeU().i32Xor().i32Shl().i32ShrS().i32ShrU()
                .i64Eqz().i64Add().i32WrapI64().i64ExtendI32S().i64ExtendI32U();
        assertArrayEquals(WasmTestSupport.bytes(0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4E, 0x4C, 0x6A, 0x6B, 0x6C, 0x71, 0x72,
                0x4B, 0x4F, 0x4D, 0x73, 0x74, 0x75, 0x76, 0x50, 0x7C, 0xA7, 0xAC, 0xAD), c.toBytes());
    }

    @Test
    void memoryOps() {
        Code c = new Code().i32Load(2, 8).i32Store(2, 0).i32Load8U(0, 200).i32Store8(0, 1).memoryFill().memoryCopy()
                .memorySize().memoryGrow().i64Load(3, 0).i64Store(3, 4);
        assertArrayEquals(WasmTestSupport.bytes(0x28, 0x02, 0x08, 0x36, 0x02, 0x00, 0x2D, 0x00, 0xC8, 0x01, 0x3A, 0x00, 0x01,
                0xFC, 0x0B, 0x00, 0xFC, 0x0A, 0x00, 0x00, 0x3F, 0x00, 0x40, 0x00, 0x29, 0x03, 0x00, 0x37, 0x03, 0x04),
                c.toBytes());
    }

    @Test
    void localsAreRunLengthEncoded() {
        GeneratedFunction f = new GeneratedFunction("f", FuncType.returningNothing(ValType.I32),
                List.of(ValType.I32, ValType.I32, ValType.I64, ValType.I32, ValType.F64, ValType.F64), new Code());
        assertArrayEquals(WasmTestSupport.bytes(0x04, 0x02, 0x7F, 0x01, 0x7E, 0x01, 0x7F, 0x02, 0x7C, 0x0B), f.encodeBody());
        GeneratedFunction open = new GeneratedFunction("g", FuncType.returningNothing(), List.of(), new Code().block());
        assertThrows(IllegalStateException.class, open::encodeBody);
    }
}
