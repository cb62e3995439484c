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
import java.util.List;

/** Encodes a {@link WasmModule} as a WebAssembly binary. Deterministic: equal models give equal bytes. */
public final class WasmWriter {
    private WasmWriter() {
    }

    public static byte[] write(WasmModule m) {
        ByteWriter out = new ByteWriter();
        out.bytes(WasmReader.MAGIC).bytes(WasmReader.VERSION);
        writeCustoms(out, m, 0);
        for (int id : WasmModule.SECTION_ORDER) {
            byte[] payload = payload(m, id);
            if (payload != null) {
                out.u8(id).sized(payload);
            }
            writeCustoms(out, m, id);
        }
        return out.toByteArray();
    }

    private static void writeCustoms(ByteWriter out, WasmModule m, int after) {
        for (CustomSection c : m.customSections) {
            if (c.after() == after) {
                ByteWriter p = new ByteWriter();
                p.name(c.name()).bytes(c.payload());
                out.u8(WasmModule.CUSTOM).sized(p.toByteArray());
            }
        }
    }

    private static byte[] payload(WasmModule m, int id) {
        ByteWriter w = new ByteWriter();
        switch (id) {
            case WasmModule.TYPE -> {
                if (m.types == null) {
                    return null;
                }
                w.u32(m.types.size());
                for (FuncType t : m.types) {
                    funcType(w, t);
                }
            }
            case WasmModule.IMPORT -> {
                if (m.imports == null) {
                    return null;
                }
                w.u32(m.imports.size());
                for (Import i : m.imports) {
                    w.name(i.module()).name(i.name()).u8(i.desc().kind());
                    if (i.desc() instanceof FuncImport f) {
                        w.u32(f.typeIndex());
                    } else if (i.desc() instanceof MemoryImport mi) {
                        limits(w, mi.limits());
                    } else {
                        w.bytes(((RawImport) i.desc()).descriptor());
                    }
                }
            }
            case WasmModule.FUNCTION -> {
                if (m.functions == null) {
                    return null;
                }
                w.u32(m.functions.size());
                for (int t : m.functions) {
                    w.u32(t);
                }
            }
            case WasmModule.TABLE -> {
                return m.tableSection;
            }
            case WasmModule.MEMORY -> {
                if (m.memories == null) {
                    return null;
                }
                w.u32(m.memories.size());
                for (Limits l : m.memories) {
                    limits(w, l);
                }
            }
            case WasmModule.TAG -> {
                return m.tagSection;
            }
            case WasmModule.GLOBAL -> {
                if (m.globals == null) {
                    return null;
                }
                w.u32(m.globals.size());
                for (Global g : m.globals) {
                    w.u8(g.valType()).u8(g.mutable() ? 1 : 0).bytes(g.init());
                }
            }
            case WasmModule.EXPORT -> {
                if (m.exports == null) {
                    return null;
                }
                w.u32(m.exports.size());
                for (Export e : m.exports) {
                    w.name(e.name()).u8(e.kind()).u32(e.index());
                }
            }
            case WasmModule.START -> {
                if (m.start == null) {
                    return null;
                }
                w.u32(m.start);
            }
            case WasmModule.ELEMENT -> {
                return m.elementSection;
            }
            case WasmModule.DATA_COUNT -> {
                if (m.dataCount == null) {
                    return null;
                }
                w.u32(m.dataCount);
            }
            case WasmModule.CODE -> {
                if (m.code == null) {
                    return null;
                }
                w.u32(m.code.size());
                for (byte[] body : m.code) {
                    w.sized(body);
                }
            }
            case WasmModule.DATA -> {
                if (m.data == null) {
                    return null;
                }
                w.u32(m.data.size());
                for (DataSegment d : m.data) {
                    w.u32(d.flags());
                    if (d.flags() == 2) {
                        w.u32(d.memoryIndex());
                    }
                    if (d.flags() != 1) {
                        w.bytes(d.offset());
                    }
                    w.sized(d.init());
                }
            }
            default -> throw new IllegalStateException("section " + id);
        }
        return w.toByteArray();
    }

    static void funcType(ByteWriter w, FuncType t) {
        w.u8(0x60);
        valTypes(w, t.params());
        valTypes(w, t.results());
    }

    private static void valTypes(ByteWriter w, List<ValType> ts) {
        w.u32(ts.size());
        for (ValType v : ts) {
            w.u8(v.code());
        }
    }

    static void limits(ByteWriter w, Limits l) {
        w.u8(l.flags()).u64(l.min());
        if ((l.flags() & 1) != 0) {
            w.u64(l.max());
        }
    }
}
