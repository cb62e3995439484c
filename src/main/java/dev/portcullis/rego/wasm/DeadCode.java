package dev.portcullis.rego.wasm;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Empties the bodies of functions no export can reach. A policy uses a fraction of the runtime;
 * every body a client loads is parsed and validated at instantiation (and translated to JVM
 * bytecode by Chicory's compiler), so unreachable code costs time on every instantiation.
 *
 * <p>Function indices are kept (an emptied body is just {@code unreachable}), so nothing needs
 * renumbering. When the module has an element segment (indirect calls into a table), or a body
 * holds an instruction this scanner does not know, nothing is removed.
 */
final class DeadCode {

    /** The body of an emptied function: no locals, {@code unreachable}, {@code end}. */
    static final byte[] EMPTY_BODY = {0x00, 0x00, 0x0B};

    private DeadCode() {}

    /** Thrown when a body holds an instruction outside the set the scanner decodes. */
    static final class UnknownInstruction extends RuntimeException {
        UnknownInstruction(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Empties every defined function that the exports, the start function and the element segments
     * (the targets of {@code call_indirect}, taken as reachable since any indirect call might pick
     * them) cannot reach.
     */
    static void eliminate(WasmModule m) {
        if (m.code == null) {
            return;
        }
        int imported = m.importedFunctionCount();
        int total = m.functionCount();
        BitSet reached = new BitSet(total);
        Deque<Integer> work = new ArrayDeque<>();
        IntConsumer reach = f -> {
            if (f >= 0 && f < total && !reached.get(f)) {
                reached.set(f);
                work.push(f);
            }
        };
        if (m.exports != null) {
            m.exports.stream().filter(e -> e.kind() == WasmModule.KIND_FUNC).forEach(e -> reach.accept(e.index()));
        }
        if (m.start != null) {
            reach.accept(m.start);
        }
        try {
            if (m.elementSection != null) {
                elementTargets(m.elementSection, reach);
            }
            while (!work.isEmpty()) {
                int f = work.pop();
                if (f >= imported) {
                    calls(m.code.get(f - imported), reach);
                }
            }
        } catch (UnknownInstruction | IndexOutOfBoundsException e) {
            return; // keep everything: removing code we cannot read could break the module
        }
        List<byte[]> code = m.code;
        for (int i = 0; i < code.size(); i++) {
            if (!reached.get(imported + i)) {
                code.set(i, EMPTY_BODY);
            }
        }
    }

    /**
     * Reports every function index listed by the element segments. Only the forms that list
     * function indices (flags 0–3) are read; expression-based segments throw, so nothing is removed.
     */
    static void elementTargets(byte[] section, IntConsumer out) {
        Reader r = new Reader(section);
        long segments = r.u32();
        for (long s = 0; s < segments; s++) {
            long flags = r.u32();
            if (flags > 3) {
                throw new UnknownInstruction("element segment with expressions (flags " + flags + ")");
            }
            if (flags == 2) {
                r.u32(); // table index
            }
            if (flags == 0 || flags == 2) {
                constantOffset(r);
            }
            if (flags != 0 && r.u8() != 0x00) {
                throw new UnknownInstruction("element kind other than funcref");
            }
            long n = r.u32();
            for (long i = 0; i < n; i++) {
                out.accept((int) r.u32());
            }
        }
        if (r.pos != section.length) {
            throw new UnknownInstruction("trailing bytes in the element section");
        }
    }

    private static void constantOffset(Reader r) {
        int op = r.u8();
        if (op != 0x41 && op != 0x23) { // i32.const or global.get
            throw new UnknownInstruction("element offset expression 0x" + Integer.toHexString(op));
        }
        r.u32();
        if (r.u8() != 0x0B) {
            throw new UnknownInstruction("element offset expression longer than one instruction");
        }
    }

    /** Reports the function index of every {@code call} and {@code ref.func} in a body. */
    static void calls(byte[] body, IntConsumer out) {
        Reader r = new Reader(body);
        long groups = r.u32();
        for (long g = 0; g < groups; g++) {
            r.u32();
            r.skip(1);
        }
        while (r.pos < body.length) {
            int op = r.u8();
            switch (op) {
                case 0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B, 0xD1 -> { }
                case 0x02, 0x03, 0x04 -> r.blockType();
                case 0x0C, 0x0D, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26 -> r.u32();
                case 0x0E -> {
                    long n = r.u32();
                    for (long i = 0; i <= n; i++) {
                        r.u32();
                    }
                }
                case 0x10, 0x12, 0xD2 -> out.accept((int) r.u32());
                case 0x11, 0x13 -> {
                    r.u32();
                    r.u32();
                }
                case 0x1C -> {
                    long n = r.u32();
                    r.skip((int) n);
                }
                case 0x3F, 0x40, 0xD0 -> r.skip(1);
                case 0x41, 0x42 -> r.u32();
                case 0x43 -> r.skip(4);
                case 0x44 -> r.skip(8);
                case 0xFC -> prefixed(r);
                default -> {
                    if (op >= 0x28 && op <= 0x3E) {
                        r.u32();
                        r.u32();
                    } else if (!(op >= 0x45 && op <= 0xC4)) {
                        throw new UnknownInstruction(String.format("opcode 0x%02x", op));
                    }
                }
            }
        }
    }

    private static void prefixed(Reader r) {
        long sub = r.u32();
        switch ((int) sub) {
            case 0, 1, 2, 3, 4, 5, 6, 7 -> { }
            case 8 -> {
                r.u32();
                r.skip(1);
            }
            case 9, 13, 15, 16, 17 -> r.u32();
            case 10 -> r.skip(2);
            case 11 -> r.skip(1);
            case 12, 14 -> {
                r.u32();
                r.u32();
            }
            default -> throw new UnknownInstruction("opcode 0xfc " + sub);
        }
    }

    /** Skips LEB128 numbers and fixed-width immediates. */
    private static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int u8() {
            return b[pos++] & 0xFF;
        }

        /** Reads an unsigned or signed LEB128 number (immediates here are at most 64 bits). */
        long u32() {
            long v = 0;
            int shift = 0;
            int x;
            do {
                x = u8();
                if (shift < 64) {
                    v |= (long) (x & 0x7F) << shift;
                }
                shift += 7;
            } while ((x & 0x80) != 0);
            return v;
        }

        void skip(int n) {
            pos += n;
            if (pos > b.length) {
                throw new IndexOutOfBoundsException("immediate past the end of a body");
            }
        }

        /** Empty (0x40), a value type, or a type index (s33). */
        void blockType() {
            int first = b[pos] & 0xFF;
            if (first == 0x40 || first == 0x7F || first == 0x7E || first == 0x7D || first == 0x7C
                    || first == 0x7B || first == 0x70 || first == 0x6F) {
                pos++;
            } else {
                u32();
            }
        }
    }
}
