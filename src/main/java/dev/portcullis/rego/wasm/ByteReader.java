package dev.portcullis.rego.wasm;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Cursor over a window of a byte array. Offsets in errors are absolute positions in the array. */
final class ByteReader {
    private final byte[] data;
    private int pos;
    private final int end;

    ByteReader(byte[] data) {
        this(data, 0, data.length);
    }

    ByteReader(byte[] data, int pos, int end) {
        this.data = data;
        this.pos = pos;
        this.end = end;
    }

    int pos() {
        return pos;
    }

    int end() {
        return end;
    }

    boolean atEnd() {
        return pos >= end;
    }

    byte[] data() {
        return data;
    }

    WasmFormatException error(String message) {
        return new WasmFormatException(message, pos);
    }

    int u8() {
        if (pos >= end) {
            throw error("unexpected end of input");
        }
        return data[pos++] & 0xFF;
    }

    int peek() {
        if (pos >= end) {
            throw error("unexpected end of input");
        }
        return data[pos] & 0xFF;
    }

    /** An unsigned 32-bit LEB128 number; values above Integer.MAX_VALUE are rejected (they never occur as counts/indices). */
    int u32() {
        int at = pos;
        Leb128.Decoded d = Leb128.decodeUnsigned(data, pos, end, 32);
        pos += d.length();
        if (d.value() > Integer.MAX_VALUE) {
            throw new WasmFormatException("number too large: " + d.value(), at);
        }
        return (int) d.value();
    }

    long u64() {
        Leb128.Decoded d = Leb128.decodeUnsigned(data, pos, end, 64);
        pos += d.length();
        return d.value();
    }

    int s32() {
        Leb128.Decoded d = Leb128.decodeSigned(data, pos, end, 32);
        pos += d.length();
        return (int) d.value();
    }

    long s64() {
        Leb128.Decoded d = Leb128.decodeSigned(data, pos, end, 64);
        pos += d.length();
        return d.value();
    }

    byte[] bytes(int n) {
        if (n < 0 || n > end - pos) {
            throw error("length " + n + " exceeds remaining " + (end - pos) + " bytes");
        }
        byte[] r = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return r;
    }

    void skip(int n) {
        if (n < 0 || n > end - pos) {
            throw error("length " + n + " exceeds remaining " + (end - pos) + " bytes");
        }
        pos += n;
    }

    /** Bytes from {@code from} (absolute) to the current position. */
    byte[] since(int from) {
        return Arrays.copyOfRange(data, from, pos);
    }

    String name() {
        int at = pos;
        int len = u32();
        byte[] b = bytes(len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new WasmFormatException("name is not valid UTF-8", at);
        }
    }

    /** A reader over the next {@code n} bytes; this reader skips past them. */
    ByteReader slice(int n) {
        if (n < 0 || n > end - pos) {
            throw error("length " + n + " exceeds remaining " + (end - pos) + " bytes");
        }
        ByteReader r = new ByteReader(data, pos, pos + n);
        pos += n;
        return r;
    }

    void expectEnd(String what) {
        if (pos != end) {
            throw error(what + ": " + (end - pos) + " unexpected trailing bytes");
        }
    }
}
