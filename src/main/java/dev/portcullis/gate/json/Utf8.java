package dev.portcullis.gate.json;

/**
 * Strict UTF-8 (RFC 3629) over raw bytes, as JSON text must be: no overlong forms, no encoded
 * surrogates, nothing above U+10FFFF, no truncated sequence, and no raw control byte other than
 * the four JSON whitespace characters (raw controls are never valid JSON, and refusing NUL here
 * also stops a JSON library from guessing UTF-16 or UTF-32 from zero bytes). Jackson decodes
 * overlong forms such as {@code C1 A1} to {@code "a"}, so this runs on the bytes before it.
 */
final class Utf8 {

    private Utf8() {}

    /** The index of the first byte that breaks the rules, or -1 when {@code b[off, off+len)} is clean. */
    static int firstInvalid(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int c = b[i];
            if (c >= 0x20) {
                i++;
                continue;
            }
            if (c >= 0) {
                if (c != '\t' && c != '\n' && c != '\r') {
                    return i;
                }
                i++;
                continue;
            }
            c &= 0xff;
            if (c < 0xC2) { // continuation byte without a lead, or an overlong 2-byte lead (C0, C1)
                return i;
            }
            if (c < 0xE0) {
                if (i + 1 >= end || !continuation(b[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= end) {
                    return i;
                }
                int c1 = b[i + 1] & 0xff;
                if (!continuation(b[i + 1]) || c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 >= 0xA0
                        || !continuation(b[i + 2])) {
                    return i; // overlong 3-byte form, or an encoded surrogate (ED A0..BF)
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= end) {
                    return i;
                }
                int c1 = b[i + 1] & 0xff;
                if (!continuation(b[i + 1]) || c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 >= 0x90
                        || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return i; // overlong 4-byte form, or beyond U+10FFFF
                }
                i += 4;
            } else {
                return i;
            }
        }
        return -1;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
