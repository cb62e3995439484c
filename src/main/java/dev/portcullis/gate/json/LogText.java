package dev.portcullis.gate.json;

/**
 * Text that came from outside (names, paths, revisions, messages quoting them) as a JSON string
 * literal: quoted, control characters and non-ASCII escaped, clipped. A log line can then not be
 * forged with a newline, and no raw control byte reaches a log or terminal.
 */
public final class LogText {

    /** Longest excerpt kept; the rest is summarised by its length. */
    public static final int MAX_CHARS = 200;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {}

    /** {@code s} as a quoted, escaped, clipped JSON string literal; {@code null} for null. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX_CHARS);
        StringBuilder b = new StringBuilder(n + 16).append('"');
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
                                .append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (s.length() > n) {
            b.append("… (").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** {@code s} with control characters escaped but not quoted, for free text that may embed client text. */
    public static String escape(String s) {
        String q = quote(s == null ? "" : s);
        int close = q.lastIndexOf('"');
        return q.substring(1, close) + q.substring(close + 1);
    }
}
