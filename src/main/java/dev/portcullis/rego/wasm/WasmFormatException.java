package dev.portcullis.rego.wasm;

/** Thrown when a WebAssembly binary is malformed or uses a feature this reader does not support. */
public class WasmFormatException extends RuntimeException {
    private final int offset;

    public WasmFormatException(String message, int offset) {
        super(message + " (at offset 0x" + Integer.toHexString(offset) + ")");
        this.offset = offset;
    }

    /** Byte offset in the input at which the problem was detected. */
    public int offset() {
        return offset;
    }
}
