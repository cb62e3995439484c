package dev.portcullis.rego.wasm;

import dev.portcullis.rego.wasm.WasmModule.DataSegment;
import dev.portcullis.rego.wasm.WasmModule.Export;
import dev.portcullis.rego.wasm.WasmModule.FuncImport;
import dev.portcullis.rego.wasm.WasmModule.Global;
import dev.portcullis.rego.wasm.WasmModule.Import;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The parsed runtime.wasm: a read-only view used by the code generator and the {@link Linker}. */
public final class RuntimeModule {
    /** Export of the runtime function whose body returns the heap base ({@code i32.const N}). */
    public static final String HEAP_BASE_EXPORT = "pc_heap_base";
    public static final String RESOURCE = "/runtime.wasm";

    private static volatile RuntimeModule cached;

    private final byte[] bytes;
    private final WasmModule module;
    private final int constantBase;

    private RuntimeModule(byte[] bytes) {
        this.bytes = bytes.clone();
        this.module = WasmReader.read(this.bytes);
        this.constantBase = align16(computeHeapBase());
    }

    /** @throws WasmFormatException if {@code wasm} is malformed */
    public static RuntimeModule parse(byte[] wasm) {
        return new RuntimeModule(wasm);
    }

    /** The runtime from the classpath resource {@code /runtime.wasm}, parsed once and cached. */
    public static RuntimeModule load() {
        RuntimeModule r = cached;
        if (r == null) {
            synchronized (RuntimeModule.class) {
                r = cached;
                if (r == null) {
                    try (InputStream in = RuntimeModule.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("classpath resource " + RESOURCE + " not found");
                        }
                        r = parse(in.readAllBytes());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    cached = r;
                }
            }
        }
        return r;
    }

    /** Index (in the function index space, imports first) of the function exported as {@code exportName}. */
    public int functionIndex(String exportName) {
        Export e = module.findExport(exportName);
        if (e == null || e.kind() != WasmModule.KIND_FUNC) {
            throw new IllegalArgumentException("runtime has no function export named " + exportName);
        }
        return e.index();
    }

    /** True if the runtime exports a function named {@code exportName}. */
    public boolean hasFunctionExport(String exportName) {
        Export e = module.findExport(exportName);
        return e != null && e.kind() == WasmModule.KIND_FUNC;
    }

    /** Index of the imported function {@code module.name}. */
    public int importedFunctionIndex(String moduleName, String name) {
        int n = 0;
        if (module.imports != null) {
            for (Import i : module.imports) {
                if (i.desc() instanceof FuncImport) {
                    if (i.module().equals(moduleName) && i.name().equals(name)) {
                        return n;
                    }
                    n++;
                }
            }
        }
        throw new IllegalArgumentException("runtime imports no function " + moduleName + "." + name);
    }

    public FuncType functionType(int funcIndex) {
        if (funcIndex < 0 || funcIndex >= functionCount()) {
            throw new IllegalArgumentException("no function with index " + funcIndex);
        }
        return module.types.get(module.functionTypeIndex(funcIndex));
    }

    /** Imported plus defined functions. */
    public int functionCount() {
        return module.functionCount();
    }

    public int importedFunctionCount() {
        return module.importedFunctionCount();
    }

    /** Number of globals (imported plus defined); indices of globals the linker appends start here. */
    public int globalCount() {
        return module.importCount(WasmModule.KIND_GLOBAL) + (module.globals == null ? 0 : module.globals.size());
    }

    /** Names of all exports, in module order. */
    public List<String> exportNames() {
        List<String> names = new ArrayList<>();
        if (module.exports != null) {
            for (Export e : module.exports) {
                names.add(e.name());
            }
        }
        return names;
    }

    /**
     * Address at which the linker places generated constant data: the runtime's heap base, rounded up
     * to a multiple of 16.
     */
    public int constantBase() {
        return constantBase;
    }

    /** A copy of the original module bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A fresh, mutable model of the runtime (each call parses anew). */
    WasmModule freshModel() {
        return WasmReader.read(bytes);
    }

    static int align16(long v) {
        long r = (v + 15) & ~15L;
        if (r > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("address out of range: " + v);
        }
        return (int) r;
    }

    private long computeHeapBase() {
        // 1. the body of pc_heap_base: i32.const N (or global.get of a constant global)
        Export hb = module.findExport(HEAP_BASE_EXPORT);
        if (hb != null && hb.kind() == WasmModule.KIND_FUNC && hb.index() >= module.importedFunctionCount()) {
            Long v = constantReturned(module.code.get(hb.index() - module.importedFunctionCount()));
            if (v != null) {
                return v;
            }
        }
        // 2. an exported __heap_base global
        Export g = module.findExport("__heap_base");
        if (g != null && g.kind() == WasmModule.KIND_GLOBAL) {
            Integer v = definedGlobalConst(g.index());
            if (v != null) {
                return Integer.toUnsignedLong(v);
            }
        }
        // 3. the end of the active data segments
        long end = 0;
        if (module.data != null) {
            for (DataSegment d : module.data) {
                Integer off = d.constOffset();
                if (off != null) {
                    end = Math.max(end, Integer.toUnsignedLong(off) + d.init().length);
                }
            }
        }
        return end;
    }

    private Integer definedGlobalConst(int globalIndex) {
        int local = globalIndex - module.importCount(WasmModule.KIND_GLOBAL);
        if (local < 0 || module.globals == null || local >= module.globals.size()) {
            return null;
        }
        Global gl = module.globals.get(local);
        return gl.valType() == (ValType.I32.code() & 0xFF) ? gl.constI32() : null;
    }

    /**
     * Constant-folds a straight-line body such as {@code i32.const N end} or
     * {@code i32.const N i32.const 15 i32.add i32.const -16 i32.and end}: supports i32.const,
     * global.get of a constant global, i32 add/sub/mul/and/or, return and end. Null if anything else occurs.
     */
    private Long constantReturned(byte[] body) {
        try {
            ByteReader r = new ByteReader(body);
            int groups = r.u32();
            for (int i = 0; i < groups; i++) {
                r.u32();
                r.u8();
            }
            java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
            while (true) {
                int op = r.u8();
                switch (op) {
                    case 0x41 -> stack.push(r.s32());
                    case 0x23 -> {
                        Integer c = definedGlobalConst(r.u32());
                        if (c == null) {
                            return null;
                        }
                        stack.push(c);
                    }
                    case 0x6A, 0x6B, 0x6C, 0x71, 0x72 -> {
                        if (stack.size() < 2) {
                            return null;
                        }
                        int b = stack.pop();
                        int a = stack.pop();
                        stack.push(switch (op) {
                            case 0x6A -> a + b;
                            case 0x6B -> a - b;
                            case 0x6C -> a * b;
                            case 0x71 -> a & b;
                            default -> a | b;
                        });
                    }
                    case 0x0B, 0x0F -> {
                        return stack.size() == 1 ? Integer.toUnsignedLong(stack.pop()) : null;
                    }
                    default -> {
                        return null;
                    }
                }
            }
        } catch (WasmFormatException e) {
            return null;
        }
    }
}
