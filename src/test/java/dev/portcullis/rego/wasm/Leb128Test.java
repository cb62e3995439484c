package dev.portcullis.rego.wasm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Leb128Test {

    @Test
    void unsignedEncoding() {
        assertArrayEquals(WasmTestSupport.bytes(0x00), Leb128.unsigned(0));
        assertArrayEquals(WasmTestSupport.bytes(0x7F), Leb128.unsigned(127));
        assertArrayEquals(WasmTestSupport.bytes(0x80, 0x01), Leb128.unsigned(128));
        assertArrayEquals(WasmTestSupport.bytes(0xE5, 0x8E, 0x26), Leb128.unsigned(624485));
        assertArrayEquals(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F), Leb128.unsigned(0xFFFF_FFFFL));
        assertArrayEquals(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), Leb128.unsigned(-1L));
    }

    @Test
    void signedEncoding() {
        assertArrayEquals(WasmTestSupport.bytes(0x00), Leb128.signed(0));
        assertArrayEquals(WasmTestSupport.bytes(0x7F), Leb128.signed(-1));
        assertArrayEquals(WasmTestSupport.bytes(0x3F), Leb128.signed(63));
        assertArrayEquals(WasmTestSupport.bytes(0xC0, 0x00), Leb128.signed(64));
        assertArrayEquals(WasmTestSupport.bytes(0x40), Leb128.signed(-64));
        assertArrayEquals(WasmTestSupport.bytes(0xBF, 0x7F), Leb128.signed(-65));
        assertArrayEquals(WasmTestSupport.bytes(0xC0, 0xBB, 0x78), Leb128.signed(-123456));
        assertArrayEquals(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x07), Leb128.signed(Integer.MAX_VALUE));
        assertArrayEquals(WasmTestSupport.bytes(0x80, 0x80, 0x80, 0x80, 0x78), Leb128.signed(Integer.MIN_VALUE));
        assertArrayEquals(WasmTestSupport.bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F), Leb128.signed(Long.MIN_VALUE));
        assertArrayEquals(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00), Leb128.signed(Long.MAX_VALUE));
    }

    @Test
    void roundTrips() {
        long[] values = {0, 1, -1, 63, 64, -64, -65, 127, 128, 255, 256, 16383, 16384, -8192, -8193,
                Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 0x1_0000_0000L};
        for (long v : values) {
            byte[] s = Leb128.signed(v);
            Leb128.Decoded d = Leb128.decodeSigned(s, 0, s.length, 64);
            assertEquals(v, d.value());
            assertEquals(s.length, d.length());
            if (v == (int) v) {
                assertEquals(v, Leb128.decodeSigned(s, 0, s.length, 32).value());
            }
            byte[] u = Leb128.unsigned(v);
            assertEquals(v, Leb128.decodeUnsigned(u, 0, u.length, 64).value());
            if (v >= 0 && v <= 0xFFFF_FFFFL) {
                assertEquals(v, Leb128.decodeUnsigned(u, 0, u.length, 32).value());
            }
        }
    }

    @Test
    void acceptsNonMinimalEncodingsWithinLimit() {
        // 5-byte padded zero and 3 are valid u32 encodings
        assertEquals(0, Leb128.decodeUnsigned(WasmTestSupport.bytes(0x80, 0x80, 0x80, 0x80, 0x00), 0, 5, 32).value());
        assertEquals(3, Leb128.decodeUnsigned(WasmTestSupport.bytes(0x83, 0x80, 0x00), 0, 3, 32).value());
        assertEquals(-1, Leb128.decodeSigned(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x7F), 0, 5, 32).value());
    }

    @Test
    void rejectsMalformed() {
        // too long for u32
        assertThrows(WasmFormatException.class, () -> Leb128.decodeUnsigned(WasmTestSupport.bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 0, 6, 32));
        // unused bits set in the 5th byte of a u32
        assertThrows(WasmFormatException.class, () -> Leb128.decodeUnsigned(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x1F), 0, 5, 32));
        // s32 5th byte not a sign extension
        assertThrows(WasmFormatException.class, () -> Leb128.decodeSigned(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x4F), 0, 5, 32));
        assertThrows(WasmFormatException.class, () -> Leb128.decodeSigned(WasmTestSupport.bytes(0x80, 0x80, 0x80, 0x80, 0x10), 0, 5, 32));
        // truncated
        WasmFormatException e = assertThrows(WasmFormatException.class, () -> Leb128.decodeUnsigned(WasmTestSupport.bytes(0x00, 0x80, 0x80), 1, 3, 32));
        assertEquals(3, e.offset());
        // u64 10th byte may only hold one bit
        assertThrows(WasmFormatException.class,
                () -> Leb128.decodeUnsigned(WasmTestSupport.bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x03), 0, 10, 64));
    }
}
