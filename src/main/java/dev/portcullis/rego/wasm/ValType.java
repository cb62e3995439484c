package dev.portcullis.rego.wasm;

/** The four WebAssembly number types. */
public enum ValType {
    I32(0x7F), I64(0x7E), F32(0x7D), F64(0x7C);

    private final byte code;

    ValType(int code) {
        this.code = (byte) code;
    }

    /** The binary encoding of this type. */
    public byte code() {
        return code;
    }

    /** The type with the given binary encoding, or {@code null} if it is not a number type. */
    public static ValType fromCode(int code) {
        for (ValType t : values()) {
            if ((t.code & 0xFF) == (code & 0xFF)) {
                return t;
            }
        }
        return null;
    }
}
