package dev.portcullis.rego.wasm;

import dev.portcullis.rego.wasm.WasmModule.CustomSection;
import dev.portcullis.rego.wasm.WasmModule.DataSegment;
import dev.portcullis.rego.wasm.WasmModule.Export;
import dev.portcullis.rego.wasm.WasmModule.FuncImport;
import dev.portcullis.rego.wasm.WasmModule.Global;
import dev.portcullis.rego.wasm.WasmModule.Import;
import dev.portcullis.rego.wasm.WasmModule.Limits;
import dev.portcullis.rego.wasm.WasmModule.MemoryImport;
import dev.portcullis.rego.wasm.WasmModule.RawImport;
import java.util.ArrayList;
import java.util.List;

/** Decodes a WebAssembly binary into a {@link WasmModule}. */
public final class WasmReader {
    static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6D};
    static final byte[] VERSION = {0x01, 0x00, 0x00, 0x00};

    private WasmReader() {
    }

    public static WasmModule read(byte[] wasm) {
        ByteReader r = new ByteReader(wasm);
        for (int i = 0; i < 4; i++) {
            if (r.u8() != (MAGIC[i] & 0xFF)) {
                throw new WasmFormatException("not a WebAssembly module (bad magic)", i);
            }
        }
        for (int i = 0; i < 4; i++) {
            if (r.u8() != (VERSION[i] & 0xFF)) {
                throw new WasmFormatException("unsupported WebAssembly version", 4 + i);
            }
        }
        WasmModule m = new WasmModule();
        int lastId = 0;
        int lastRank = 0;
        while (!r.atEnd()) {
            int idAt = r.pos();
            int id = r.u8();
            int size = r.u32();
            ByteReader s = r.slice(size);
            if (id == WasmModule.CUSTOM) {
                String name = s.name();
                m.customSections.add(new CustomSection(name, s.bytes(s.end() - s.pos()), lastId));
                continue;
            }
            int rank = WasmModule.rank(id);
            if (rank < 0) {
                throw new WasmFormatException("unknown section id " + id, idAt);
            }
            if (rank <= lastRank) {
                throw new WasmFormatException("section " + id + " out of order or duplicated", idAt);
            }
            lastRank = rank;
            lastId = id;
            readSection(m, id, s);
            s.expectEnd("section " + id);
        }
        if ((m.functions == null ? 0 : m.functions.size()) != (m.code == null ? 0 : m.code.size())) {
            throw new WasmFormatException("function and code section sizes differ", wasm.length);
        }
        return m;
    }

    private static void readSection(WasmModule m, int id, ByteReader s) {
        switch (id) {
            case WasmModule.TYPE -> {
                int n = s.u32();
                m.types = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    if (s.u8() != 0x60) {
                        throw new WasmFormatException("unsupported type form", s.pos() - 1);
                    }
                    List<ValType> params = valTypes(s);
                    List<ValType> results = valTypes(s);
                    m.types.add(new FuncType(params, results));
                }
            }
            case WasmModule.IMPORT -> {
                int n = s.u32();
                m.imports = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String module = s.name();
                    String name = s.name();
                    int kind = s.u8();
                    int descAt = s.pos();
                    WasmModule.ImportDesc desc = switch (kind) {
                        case WasmModule.KIND_FUNC -> new FuncImport(s.u32());
                        case WasmModule.KIND_MEMORY -> new MemoryImport(limits(s));
                        case WasmModule.KIND_TABLE -> {
                            s.u8(); // reference type
                            limits(s);
                            yield new RawImport(kind, s.since(descAt));
                        }
                        case WasmModule.KIND_GLOBAL -> {
                            s.u8();
                            s.u8();
                            yield new RawImport(kind, s.since(descAt));
                        }
                        case WasmModule.KIND_TAG -> {
                            s.u8();
                            s.u32();
                            yield new RawImport(kind, s.since(descAt));
                        }
                        default -> throw new WasmFormatException("unknown import kind " + kind, descAt - 1);
                    };
                    m.imports.add(new Import(module, name, desc));
                }
            }
            case WasmModule.FUNCTION -> {
                int n = s.u32();
                m.functions = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    m.functions.add(s.u32());
                }
            }
            case WasmModule.TABLE -> m.tableSection = s.bytes(s.end() - s.pos());
            case WasmModule.MEMORY -> {
                int n = s.u32();
                m.memories = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    m.memories.add(limits(s));
                }
            }
            case WasmModule.TAG -> m.tagSection = s.bytes(s.end() - s.pos());
            case WasmModule.GLOBAL -> {
                int n = s.u32();
                m.globals = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int type = s.u8();
                    int mut = s.u8();
                    if (mut > 1) {
                        throw new WasmFormatException("bad global mutability " + mut, s.pos() - 1);
                    }
                    m.globals.add(new Global(type, mut == 1, constExpr(s)));
                }
            }
            case WasmModule.EXPORT -> {
                int n = s.u32();
                m.exports = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String name = s.name();
                    int kind = s.u8();
                    if (kind > WasmModule.KIND_TAG) {
                        throw new WasmFormatException("unknown export kind " + kind, s.pos() - 1);
                    }
                    m.exports.add(new Export(name, kind, s.u32()));
                }
            }
            case WasmModule.START -> m.start = s.u32();
            case WasmModule.ELEMENT -> m.elementSection = s.bytes(s.end() - s.pos());
            case WasmModule.DATA_COUNT -> m.dataCount = s.u32();
            case WasmModule.CODE -> {
                int n = s.u32();
                m.code = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int size = s.u32();
                    m.code.add(s.bytes(size));
                }
            }
            case WasmModule.DATA -> {
                int n = s.u32();
                m.data = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int flagsAt = s.pos();
                    int flags = s.u32();
                    DataSegment seg = switch (flags) {
                        case 0 -> {
                            byte[] off = constExpr(s);
                            yield new DataSegment(0, 0, off, s.bytes(s.u32()));
                        }
                        case 1 -> new DataSegment(1, 0, null, s.bytes(s.u32()));
                        case 2 -> {
                            int mem = s.u32();
                            byte[] off = constExpr(s);
                            yield new DataSegment(2, mem, off, s.bytes(s.u32()));
                        }
                        default -> throw new WasmFormatException("bad data segment flags " + flags, flagsAt);
                    };
                    m.data.add(seg);
                }
            }
            default -> throw new IllegalStateException("unreachable: section " + id);
        }
    }

    private static List<ValType> valTypes(ByteReader s) {
        int n = s.u32();
        List<ValType> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int code = s.u8();
            ValType t = ValType.fromCode(code);
            if (t == null) {
                throw new WasmFormatException("unsupported value type 0x" + Integer.toHexString(code), s.pos() - 1);
            }
            out.add(t);
        }
        return out;
    }

    static Limits limits(ByteReader s) {
        int flagsAt = s.pos();
        int flags = s.u8();
        if ((flags & ~0x07) != 0) {
            throw new WasmFormatException("unsupported limits flags " + flags, flagsAt);
        }
        long min = s.u64();
        Long max = (flags & 1) != 0 ? s.u64() : null;
        return new Limits(flags, min, max);
    }

    /** Reads a constant expression up to and including its end opcode; returns its bytes. */
    static byte[] constExpr(ByteReader s) {
        int start = s.pos();
        while (true) {
            int op = s.u8();
            switch (op) {
                case 0x0B -> {
                    return s.since(start);
                }
                case 0x41 -> s.s32();                    // i32.const
                case 0x42 -> s.s64();                    // i64.const
                case 0x43 -> s.skip(4);                  // f32.const
                case 0x44 -> s.skip(8);                  // f64.const
                case 0x23, 0xD2 -> s.u32();              // global.get, ref.func
                case 0xD0 -> s.u8();                     // ref.null heaptype (abstract)
                case 0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E -> {
                    // extended-const arithmetic
                }
                default -> throw new WasmFormatException(
                        "unsupported opcode 0x" + Integer.toHexString(op) + " in constant expression", s.pos() - 1);
            }
        }
    }
}
