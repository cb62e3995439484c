package dev.portcullis.rego.wasm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Mutable in-memory model of a WebAssembly module, at the granularity the linker needs.
 *
 * <p>A {@code null} section field means the section is absent (an empty-but-present section is an
 * empty list), so that reading and writing a module reproduces it byte for byte. Function bodies,
 * the table, element and tag sections, global initialisers and data offsets are kept as raw bytes.
 */
public final class WasmModule {

    // ---- section ids ----
    public static final int CUSTOM = 0, TYPE = 1, IMPORT = 2, FUNCTION = 3, TABLE = 4, MEMORY = 5, GLOBAL = 6,
            EXPORT = 7, START = 8, ELEMENT = 9, CODE = 10, DATA = 11, DATA_COUNT = 12, TAG = 13;

    /** Non-custom section ids in the order the binary format requires. */
    static final int[] SECTION_ORDER = {TYPE, IMPORT, FUNCTION, TABLE, MEMORY, TAG, GLOBAL, EXPORT, START, ELEMENT,
            DATA_COUNT, CODE, DATA};

    static int rank(int sectionId) {
        for (int i = 0; i < SECTION_ORDER.length; i++) {
            if (SECTION_ORDER[i] == sectionId) {
                return i + 1;
            }
        }
        return -1;
    }

    // ---- external kinds ----
    public static final int KIND_FUNC = 0, KIND_TABLE = 1, KIND_MEMORY = 2, KIND_GLOBAL = 3, KIND_TAG = 4;

    /** Memory or table limits. {@code max} is null when absent; {@code flags} is kept verbatim (bit 0 = has max). */
    public record Limits(int flags, long min, Long max) {
        public Limits withMin(long newMin) {
            return new Limits(flags, newMin, max);
        }
    }

    /** What an import provides. */
    public sealed interface ImportDesc permits FuncImport, MemoryImport, RawImport {
        int kind();
    }

    public record FuncImport(int typeIndex) implements ImportDesc {
        public int kind() {
            return KIND_FUNC;
        }
    }

    public record MemoryImport(Limits limits) implements ImportDesc {
        public int kind() {
            return KIND_MEMORY;
        }
    }

    /** Table, global or tag import; the descriptor after the kind byte is kept raw. */
    public record RawImport(int kind, byte[] descriptor) implements ImportDesc {
        @Override
        public boolean equals(Object o) {
            return o instanceof RawImport r && r.kind == kind && Arrays.equals(r.descriptor, descriptor);
        }

        @Override
        public int hashCode() {
            return kind * 31 + Arrays.hashCode(descriptor);
        }
    }

    public record Import(String module, String name, ImportDesc desc) {
        public Import {
            Objects.requireNonNull(module);
            Objects.requireNonNull(name);
            Objects.requireNonNull(desc);
        }
    }

    /** A global: value type byte (raw, may be a reference type), mutability, and init expression incl. its end. */
    public record Global(int valType, boolean mutable, byte[] init) {
        /** The value of an {@code i32.const N end} initialiser, or null. */
        public Integer constI32() {
            return constI32(init);
        }

        static Integer constI32(byte[] expr) {
            if (expr.length >= 3 && (expr[0] & 0xFF) == 0x41 && (expr[expr.length - 1] & 0xFF) == 0x0B) {
                Leb128.Decoded d = Leb128.decodeSigned(expr, 1, expr.length - 1, 32);
                if (1 + d.length() == expr.length - 1) {
                    return (int) d.value();
                }
            }
            return null;
        }

        static byte[] i32Init(int value) {
            return new ByteWriter().u8(0x41).s32(value).u8(0x0B).toByteArray();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Global g && g.valType == valType && g.mutable == mutable && Arrays.equals(g.init, init);
        }

        @Override
        public int hashCode() {
            return Objects.hash(valType, mutable, Arrays.hashCode(init));
        }
    }

    public record Export(String name, int kind, int index) {
    }

    /**
     * A data segment. {@code flags}: 0 = active in memory 0, 1 = passive, 2 = active with explicit memory index.
     * {@code offset} is the offset expression including its end (null for passive segments).
     */
    public record DataSegment(int flags, int memoryIndex, byte[] offset, byte[] init) {
        public static DataSegment active(int address, byte[] init) {
            return new DataSegment(0, 0, Global.i32Init(address), init);
        }

        /** Constant start address of an active segment, or null. */
        public Integer constOffset() {
            return offset == null ? null : Global.constI32(offset);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DataSegment d && d.flags == flags && d.memoryIndex == memoryIndex
                    && Arrays.equals(d.offset, offset) && Arrays.equals(d.init, init);
        }

        @Override
        public int hashCode() {
            return Objects.hash(flags, memoryIndex, Arrays.hashCode(offset), Arrays.hashCode(init));
        }
    }

    /**
     * A custom section, positioned after the non-custom section with id {@code after} (0 = before all of them).
     * If that section is absent when writing, it is placed where that section would be.
     */
    public record CustomSection(String name, byte[] payload, int after) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CustomSection c && c.name.equals(name) && c.after == after
                    && Arrays.equals(c.payload, payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, after, Arrays.hashCode(payload));
        }
    }

    // ---- sections (null = absent) ----
    public List<FuncType> types;
    public List<Import> imports;
    /** Type index of each defined function. */
    public List<Integer> functions;
    /** Raw payload of the table section. */
    public byte[] tableSection;
    public List<Limits> memories;
    /** Raw payload of the tag section (exception handling proposal). */
    public byte[] tagSection;
    public List<Global> globals;
    public List<Export> exports;
    public Integer start;
    /** Raw payload of the element section. */
    public byte[] elementSection;
    public Integer dataCount;
    /** Function bodies without their size prefix: local declarations, expression, final end. */
    public List<byte[]> code;
    public List<DataSegment> data;
    public final List<CustomSection> customSections = new ArrayList<>();

    // ---- queries ----

    public int importCount(int kind) {
        if (imports == null) {
            return 0;
        }
        int n = 0;
        for (Import i : imports) {
            if (i.desc().kind() == kind) {
                n++;
            }
        }
        return n;
    }

    public int importedFunctionCount() {
        return importCount(KIND_FUNC);
    }

    public int functionCount() {
        return importedFunctionCount() + (functions == null ? 0 : functions.size());
    }

    /** Type index of a function in the function index space. */
    public int functionTypeIndex(int funcIndex) {
        int n = 0;
        if (imports != null) {
            for (Import i : imports) {
                if (i.desc() instanceof FuncImport f) {
                    if (n == funcIndex) {
                        return f.typeIndex();
                    }
                    n++;
                }
            }
        }
        int local = funcIndex - n;
        if (funcIndex < 0 || functions == null || local >= functions.size()) {
            throw new IndexOutOfBoundsException("no function " + funcIndex);
        }
        return functions.get(local);
    }

    public Export findExport(String name) {
        if (exports != null) {
            for (Export e : exports) {
                if (e.name().equals(name)) {
                    return e;
                }
            }
        }
        return null;
    }

    public CustomSection findCustom(String name) {
        for (CustomSection c : customSections) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** Index of {@code type} in the type section, appending it if absent. */
    public int internType(FuncType type) {
        if (types == null) {
            types = new ArrayList<>();
        }
        int i = types.indexOf(type);
        if (i >= 0) {
            return i;
        }
        types.add(type);
        return types.size() - 1;
    }
}
