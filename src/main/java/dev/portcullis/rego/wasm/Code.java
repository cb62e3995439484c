package dev.portcullis.rego.wasm;

/**
 * Instruction emitter for one function body's expression. Locals are declared separately
 * (see {@link GeneratedFunction}).
 *
 * <p>{@link #toBytes()} returns the emitted instructions <em>without</em> the function's final
 * {@code end}; the linker appends it when it encodes the body. Calling {@link #end()} at nesting depth
 * 0 is allowed and means "the function body is complete": it emits nothing, and any further emission
 * throws. Each {@code block}/{@code loop}/{@code if} increments {@link #depth()}, each nested {@code end}
 * decrements it; the linker rejects a body whose depth is not 0.
 *
 * <p>Branch depths are relative, as in the binary format: {@code br(0)} targets the innermost open
 * block. To branch to a block opened when {@code depth()} was {@code d0} (i.e. {@code depth()} became
 * {@code d0 + 1} right after opening it), use {@code br(depth() - d0 - 1)}.
 */
public final class Code {
    private final ByteWriter out = new ByteWriter();
    private int depth;
    private boolean closed;

    private Code op(int opcode) {
        if (closed) {
            throw new IllegalStateException("function body already ended");
        }
        out.u8(opcode);
        return this;
    }

    private Code memarg(int opcode, int align, int offset) {
        if (align < 0 || align > 3) {
            throw new IllegalArgumentException("alignment exponent out of range: " + align);
        }
        op(opcode);
        out.u32(align).u32(Integer.toUnsignedLong(offset));
        return this;
    }

    /** Current structured-control nesting depth (blocks opened minus ended), 0 at function level. */
    public int depth() {
        return depth;
    }

    /** True once {@link #end()} was called at depth 0. */
    public boolean isClosed() {
        return closed;
    }

    /** Number of instruction bytes emitted so far. */
    public int size() {
        return out.size();
    }

    /** The instruction bytes, without the function-final {@code end}. */
    public byte[] toBytes() {
        return out.toByteArray();
    }

    /** Appends raw, already-encoded instruction bytes (escape hatch; they must not open or close blocks). */
    public Code raw(byte... bytes) {
        if (closed) {
            throw new IllegalStateException("function body already ended");
        }
        out.bytes(bytes);
        return this;
    }

    // ---- constants ----
    public Code i32Const(int v) {
        op(0x41);
        out.s32(v);
        return this;
    }

    public Code i64Const(long v) {
        op(0x42);
        out.s64(v);
        return this;
    }

    public Code f32Const(float v) {
        op(0x43);
        int bits = Float.floatToRawIntBits(v);
        for (int i = 0; i < 4; i++) {
            out.u8(bits >>> (8 * i));
        }
        return this;
    }

    public Code f64Const(double v) {
        op(0x44);
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 0; i < 8; i++) {
            out.u8((int) (bits >>> (8 * i)));
        }
        return this;
    }

    // ---- variables ----
    public Code localGet(int idx) {
        op(0x20);
        out.u32(idx);
        return this;
    }

    public Code localSet(int idx) {
        op(0x21);
        out.u32(idx);
        return this;
    }

    public Code localTee(int idx) {
        op(0x22);
        out.u32(idx);
        return this;
    }

    public Code globalGet(int idx) {
        op(0x23);
        out.u32(idx);
        return this;
    }

    public Code globalSet(int idx) {
        op(0x24);
        out.u32(idx);
        return this;
    }

    // ---- calls ----
    public Code call(int funcIndex) {
        op(0x10);
        out.u32(funcIndex);
        return this;
    }

    /** {@code call_indirect typeIndex table 0}. */
    public Code callIndirect(int typeIndex) {
        op(0x11);
        out.u32(typeIndex).u8(0x00);
        return this;
    }

    // ---- control ----
    private Code open(int opcode, int blockType) {
        op(opcode);
        out.u8(blockType);
        depth++;
        return this;
    }

    /** {@code block} with empty block type. */
    public Code block() {
        return open(0x02, 0x40);
    }

    /** {@code block (result i32)}. */
    public Code blockI32() {
        return open(0x02, ValType.I32.code());
    }

    /** {@code block (result t)}. */
    public Code block(ValType result) {
        return open(0x02, result.code());
    }

    /** {@code loop} with empty block type. */
    public Code loop() {
        return open(0x03, 0x40);
    }

    public Code loop(ValType result) {
        return open(0x03, result.code());
    }

    /** {@code if} with empty block type. */
    public Code ifThen() {
        return open(0x04, 0x40);
    }

    /** {@code if (result i32)}. */
    public Code ifI32() {
        return open(0x04, ValType.I32.code());
    }

    public Code ifThen(ValType result) {
        return open(0x04, result.code());
    }

    public Code elseThen() {
        if (depth == 0) {
            throw new IllegalStateException("else outside of if");
        }
        return op(0x05);
    }

    /** Ends the innermost open block; at depth 0, marks the function body complete (emits nothing). */
    public Code end() {
        if (closed) {
            throw new IllegalStateException("function body already ended");
        }
        if (depth == 0) {
            closed = true;
            return this;
        }
        depth--;
        return op(0x0B);
    }

    private void checkDepth(int d) {
        if (d < 0 || d > depth) {
            throw new IllegalArgumentException("branch depth " + d + " out of range (current depth " + depth + ")");
        }
    }

    public Code br(int depth) {
        checkDepth(depth);
        op(0x0C);
        out.u32(depth);
        return this;
    }

    public Code brIf(int depth) {
        checkDepth(depth);
        op(0x0D);
        out.u32(depth);
        return this;
    }

    public Code brTable(int[] depths, int defaultDepth) {
        for (int d : depths) {
            checkDepth(d);
        }
        checkDepth(defaultDepth);
        op(0x0E);
        out.u32(depths.length);
        for (int d : depths) {
            out.u32(d);
        }
        out.u32(defaultDepth);
        return this;
    }

    public Code ret() {
        return op(0x0F);
    }

    public Code unreachable() {
        return op(0x00);
    }

    public Code nop() {
        return op(0x01);
    }

    public Code drop() {
        return op(0x1A);
    }

    public Code select() {
        return op(0x1B);
    }

    // ---- i32 ----
    public Code i32Eqz() { return op(0x45); }
    public Code i32Eq() { return op(0x46); }
    public Code i32Ne() { return op(0x47); }
    public Code i32LtS() { return op(0x48); }
    public Code i32LtU() { return op(0x49); }
    public Code i32GtS() { return op(0x4A); }
    public Code i32GtU() { return op(0x4B); }
    public Code i32LeS() { return op(0x4C); }
    public Code i32LeU() { return op(0x4D); }
    public Code i32GeS() { return op(0x4E); }
    public Code i32GeU() { return op(0x4F); }
    public Code i32Add() { return op(0x6A); }
    public Code i32Sub() { return op(0x6B); }
    public Code i32Mul() { return op(0x6C); }
    public Code i32DivS() { return op(0x6D); }
    public Code i32DivU() { return op(0x6E); }
    public Code i32RemS() { return op(0x6F); }
    public Code i32RemU() { return op(0x70); }
    public Code i32And() { return op(0x71); }
    public Code i32Or() { return op(0x72); }
    public Code i32Xor() { return op(0x73); }
    public Code i32Shl() { return op(0x74); }
    public Code i32ShrS() { return op(0x75); }
    public Code i32ShrU() { return op(0x76); }

    // ---- i64 ----
    public Code i64Eqz() { return op(0x50); }
    public Code i64Eq() { return op(0x51); }
    public Code i64Ne() { return op(0x52); }
    public Code i64LtS() { return op(0x53); }
    public Code i64GtS() { return op(0x55); }
    public Code i64LeS() { return op(0x57); }
    public Code i64GeS() { return op(0x59); }
    public Code i64Add() { return op(0x7C); }
    public Code i64Sub() { return op(0x7D); }
    public Code i64Mul() { return op(0x7E); }

    // ---- conversions ----
    public Code i32WrapI64() { return op(0xA7); }
    public Code i64ExtendI32S() { return op(0xAC); }
    public Code i64ExtendI32U() { return op(0xAD); }
    public Code f64ConvertI32S() { return op(0xB7); }
    public Code f64ConvertI64S() { return op(0xB9); }

    // ---- memory ----
    public Code i32Load(int align, int offset) { return memarg(0x28, align, offset); }
    public Code i64Load(int align, int offset) { return memarg(0x29, align, offset); }
    public Code f64Load(int align, int offset) { return memarg(0x2B, align, offset); }
    public Code i32Load8S(int align, int offset) { return memarg(0x2C, align, offset); }
    public Code i32Load8U(int align, int offset) { return memarg(0x2D, align, offset); }
    public Code i32Load16U(int align, int offset) { return memarg(0x2F, align, offset); }
    public Code i32Store(int align, int offset) { return memarg(0x36, align, offset); }
    public Code i64Store(int align, int offset) { return memarg(0x37, align, offset); }
    public Code f64Store(int align, int offset) { return memarg(0x39, align, offset); }
    public Code i32Store8(int align, int offset) { return memarg(0x3A, align, offset); }
    public Code i32Store16(int align, int offset) { return memarg(0x3B, align, offset); }

    public Code memorySize() {
        op(0x3F);
        out.u8(0x00);
        return this;
    }

    public Code memoryGrow() {
        op(0x40);
        out.u8(0x00);
        return this;
    }

    /** {@code memory.fill} (bulk memory): [dest, value, length] → []. */
    public Code memoryFill() {
        op(0xFC);
        out.u32(11).u8(0x00);
        return this;
    }

    /** {@code memory.copy} (bulk memory): [dest, src, length] → []. */
    public Code memoryCopy() {
        op(0xFC);
        out.u32(10).u8(0x00).u8(0x00);
        return this;
    }
}
