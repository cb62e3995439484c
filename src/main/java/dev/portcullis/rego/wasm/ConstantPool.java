package dev.portcullis.rego.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Constant bytes (string literals, abort messages) laid out in the linker's data segment. */
final class ConstantPool {
    private final int base;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Map<String, Integer> strings = new HashMap<>();
    private final Map<String, Integer> cstrings = new HashMap<>();

    ConstantPool(int base) {
        this.base = base;
    }

    /** Address of the UTF-8 bytes of s (not terminated; pair it with {@link #utf8Length}). */
    int string(String s) {
        return strings.computeIfAbsent(s, k -> append(k.getBytes(StandardCharsets.UTF_8), false));
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Address of a NUL-terminated copy of s (abort messages, JSON handed to the runtime). */
    int cstring(String s) {
        return cstrings.computeIfAbsent(s, k -> append(k.getBytes(StandardCharsets.UTF_8), true));
    }

    /** Address of {@code size} zeroed, 4-byte aligned bytes of mutable state (rule caches). */
    int slot(int size) {
        while (bytes.size() % 4 != 0) {
            bytes.write(0);
        }
        return append(new byte[size], false);
    }

    private int append(byte[] b, boolean terminate) {
        int addr = base + bytes.size();
        bytes.writeBytes(b);
        if (terminate) {
            bytes.write(0);
        }
        return addr;
    }

    byte[] toBytes() {
        return bytes.toByteArray();
    }
}
