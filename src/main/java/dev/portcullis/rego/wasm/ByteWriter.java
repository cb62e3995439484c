package dev.portcullis.rego.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Growable byte buffer with WebAssembly primitive encoders. */
final class ByteWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ByteWriter u8(int b) {
        out.write(b & 0xFF);
        return this;
    }

    ByteWriter u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a u32: " + v);
        }
        Leb128.writeUnsigned(out, v);
        return this;
    }

    ByteWriter u64(long v) {
        Leb128.writeUnsigned(out, v);
        return this;
    }

    ByteWriter s32(int v) {
        Leb128.writeSigned(out, v);
        return this;
    }

    ByteWriter s64(long v) {
        Leb128.writeSigned(out, v);
        return this;
    }

    ByteWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** A length-prefixed byte vector. */
    ByteWriter sized(byte[] b) {
        u32(b.length);
        return bytes(b);
    }

    ByteWriter name(String s) {
        return sized(s.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
