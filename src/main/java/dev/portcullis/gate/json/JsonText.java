package dev.portcullis.gate.json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One JSON value as bytes that passed {@link StrictJson}: strict UTF-8, RFC 8259, no duplicate
 * keys, numbers within {@link ExactNumbers}. Only {@link StrictJson} makes them, so code holding
 * a {@code JsonText} can hand it to the Wasm runtime without checking again. The bytes are the
 * ones the client sent (a view, not a copy), which is what the decision record stores.
 */
public final class JsonText {

    /** The empty object, what a request without input is evaluated with. */
    public static final JsonText EMPTY_OBJECT = new JsonText(new byte[] {'{', '}'}, 0, 2);

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private String text;

    JsonText(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    public int length() {
        return length;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        byte[] out = new byte[length];
        System.arraycopy(bytes, offset, out, 0, length);
        return out;
    }

    /** The text (decoded once; the bytes are valid UTF-8). */
    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = new String(bytes, offset, length, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public String sha256Hex() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, offset, length);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonText t && java.util.Arrays.equals(bytes, offset, offset + length, t.bytes, t.offset,
                t.offset + t.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }
}
