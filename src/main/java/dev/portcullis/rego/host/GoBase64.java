package dev.portcullis.rego.host;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * Go's {@code encoding/base64} padded decoders (CR and LF skipped, non-zero trailing bits
 * accepted) and OPA's {@code base64url.decode}, which first pads unpadded input (RFC 7515
 * appendix C). Java's decoders differ on both points.
 */
final class GoBase64 {

    private static final String STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private GoBase64() {}

    /** OPA's base64url.decode. */
    static byte[] opaUrlDecode(String s) throws BuiltinException {
        if (!s.endsWith("=")) {
            switch (s.length() % 4) {
                case 0 -> { }
                case 2 -> s += "==";
                case 3 -> s += "=";
                default -> throw new BuiltinException("illegal base64url string: " + s);
            }
        }
        return decode(s, URL);
    }

    /** Go's base64.StdEncoding.DecodeString. */
    static byte[] stdDecode(String s) throws BuiltinException {
        return decode(s, STD);
    }

    static String rawUrlEncode(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] decode(String s, String alphabet) throws BuiltinException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 3 / 4);
        int i = 0;
        int n = s.length();
        while (true) {
            int[] q = new int[4];
            int got = 0;
            while (got < 4) {
                while (i < n && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
                    i++;
                }
                if (i == n) {
                    if (got == 0) {
                        return out.toByteArray();
                    }
                    throw corrupt(i);
                }
                char c = s.charAt(i);
                if (c == '=') {
                    if (got < 2) {
                        throw corrupt(i);
                    }
                    i++;
                    if (got == 2) {
                        while (i < n && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
                            i++;
                        }
                        if (i == n || s.charAt(i) != '=') {
                            throw corrupt(i);
                        }
                        i++;
                    }
                    while (i < n && (s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
                        i++;
                    }
                    if (i < n) {
                        throw corrupt(i);
                    }
                    int v = (q[0] << 18) | (q[1] << 12) | (got == 3 ? q[2] << 6 : 0);
                    out.write(v >> 16);
                    if (got == 3) {
                        out.write((v >> 8) & 0xff);
                    }
                    return out.toByteArray();
                }
                int d = alphabet.indexOf(c);
                if (d < 0) {
                    throw corrupt(i);
                }
                q[got++] = d;
                i++;
            }
            int v = (q[0] << 18) | (q[1] << 12) | (q[2] << 6) | q[3];
            out.write(v >> 16);
            out.write((v >> 8) & 0xff);
            out.write(v & 0xff);
        }
    }

    private static BuiltinException corrupt(int at) {
        return new BuiltinException("illegal base64 data at input byte " + at);
    }
}
