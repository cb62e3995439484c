package dev.portcullis.rego.wasm;

import java.io.ByteArrayOutputStream;

/**
 * LEB128 variable-length integer encoding as used by the WebAssembly binary format.
 * Encoders always produce the minimal encoding.
 */
public final class Leb128 {
    private Leb128() {
    }

    /** Unsigned encoding of {@code value}, which is interpreted as an unsigned 64-bit number. */
    public static byte[] unsigned(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        writeUnsigned(out, value);
        return out.toByteArray();
    }

    /** Signed encoding of {@code value}. */
    public static byte[] signed(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        writeSigned(out, value);
        return out.toByteArray();
    }

    public static void writeUnsigned(ByteArrayOutputStream out, long value) {
        do {
            int b = (int) (value & 0x7F);
            value >>>= 7;
            if (value != 0) {
                b |= 0x80;
            }
            out.write(b);
        } while (value != 0);
    }

    public static void writeSigned(ByteArrayOutputStream out, long value) {
        while (true) {
            int b = (int) (value & 0x7F);
            value >>= 7;
            boolean done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            if (done) {
                out.write(b);
                return;
            }
            out.write(b | 0x80);
        }
    }

    /** Result of a decode: the value and the number of bytes consumed. */
    public record Decoded(long value, int length) {
    }

    /**
     * Decodes an unsigned LEB128 number of at most {@code bits} bits (32 or 64) starting at {@code pos}.
     * Rejects over-long encodings and encodings whose unused high bits are non-zero, as the spec does.
     */
    public static Decoded decodeUnsigned(byte[] data, int pos, int limit, int bits) {
        long result = 0;
        int shift = 0;
        int start = pos;
        int maxBytes = (bits + 6) / 7;
        while (true) {
            if (pos >= limit) {
                throw new WasmFormatException("unexpected end of LEB128 number", pos);
            }
            if (pos - start >= maxBytes) {
                throw new WasmFormatException("LEB128 number too long for u" + bits, start);
            }
            int b = data[pos++] & 0xFF;
            if (pos - start == maxBytes) {
                int usedBits = bits - shift; // bits still allowed in this last byte
                if ((b & 0x80) != 0 || (b >>> usedBits) != 0) {
                    throw new WasmFormatException("LEB128 number out of range for u" + bits, start);
                }
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                return new Decoded(result, pos - start);
            }
        }
    }

    /** Decodes a signed LEB128 number of at most {@code bits} bits (32 or 64), sign-extended to a long. */
    public static Decoded decodeSigned(byte[] data, int pos, int limit, int bits) {
        long result = 0;
        int shift = 0;
        int start = pos;
        int maxBytes = (bits + 6) / 7;
        int b;
        while (true) {
            if (pos >= limit) {
                throw new WasmFormatException("unexpected end of LEB128 number", pos);
            }
            if (pos - start >= maxBytes) {
                throw new WasmFormatException("LEB128 number too long for s" + bits, start);
            }
            b = data[pos++] & 0xFF;
            if (pos - start == maxBytes) {
                // The last byte: its unused bits must be a sign extension of the last used bit.
                int usedBits = bits - shift;           // 1..7
                int rest = (b & 0x7F) >> (usedBits - 1); // last used bit and everything above
                int allOnes = (0x7F >> (usedBits - 1));
                if ((b & 0x80) != 0 || (rest != 0 && rest != allOnes)) {
                    throw new WasmFormatException("LEB128 number out of range for s" + bits, start);
                }
            }
            result |= (long) (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        if (bits == 32) {
            result = (int) result;
        }
        return new Decoded(result, pos - start);
    }
}
