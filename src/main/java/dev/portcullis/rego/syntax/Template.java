package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * Template strings: {@code $"text {expr} text"} and the raw {@code $`...`}. {@code \{} is a literal
 * brace; in {@code $"..."} the other escapes are those of strings. One scanner finds where a
 * template ends (for the lexer) and splits it into parts (for the parser).
 */
final class Template {

    /** A literal piece of text, or the source of an embedded expression starting at {@code pos}. */
    record Part(String text, boolean isExpr, Position pos) {}

    record Scan(int end, List<Part> parts) {}

    private Template() {}

    /** Scans the template starting at {@code src[start] == '$'}; {@code pos} is that character's position. */
    static Scan scan(String src, int start, Position pos) {
        char delim = src.charAt(start + 1);
        boolean quoted = delim == '"';
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = start + 2;
        while (true) {
            if (i >= src.length() || quoted && src.charAt(i) == '\n') {
                throw error(pos, "unterminated template string");
            }
            char c = src.charAt(i);
            if (c == delim) {
                if (lit.length() > 0) {
                    parts.add(new Part(lit.toString(), false, pos));
                }
                return new Scan(i + 1, parts);
            }
            if (c == '\\' && i + 1 < src.length() && src.charAt(i + 1) == '{') {
                lit.append('{');
                i += 2;
            } else if (c == '\\' && quoted) {
                i = escape(src, i, lit, pos);
            } else if (c == '{') {
                int end = exprEnd(src, i + 1, pos);
                if (lit.length() > 0) {
                    parts.add(new Part(lit.toString(), false, pos));
                    lit.setLength(0);
                }
                parts.add(new Part(src.substring(i + 1, end), true, at(src, start, pos, i + 1)));
                i = end + 1;
            } else {
                lit.append(c);
                i++;
            }
        }
    }

    /** Index of the {@code }} closing an expression that starts at {@code i}. */
    private static int exprEnd(String src, int i, Position pos) {
        int depth = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '$' && i + 1 < src.length() && (src.charAt(i + 1) == '"' || src.charAt(i + 1) == '`')) {
                i = scan(src, i, pos).end();
                continue;
            }
            if (c == '"') {
                i++;
                while (i < src.length() && src.charAt(i) != '"') {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
            } else if (c == '`') {
                i++;
                while (i < src.length() && src.charAt(i) != '`') {
                    i++;
                }
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                depth--;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
            i++;
        }
        throw error(pos, "unterminated expression in template string");
    }

    private static int escape(String src, int i, StringBuilder sb, Position pos) {
        if (i + 1 >= src.length()) {
            throw error(pos, "unterminated template string");
        }
        char e = src.charAt(i + 1);
        int simple = Lexer.simpleEscape(e);
        if (simple >= 0) {
            sb.append((char) simple);
            return i + 2;
        }
        if (e != 'u') {
            throw error(pos, "invalid escape sequence \\" + e + " in template string");
        }
        int cp = Lexer.hex4(src, i + 2);
        if (cp < 0) {
            throw error(pos, "invalid \\u escape in template string");
        }
        sb.append((char) cp);
        return i + 6;
    }

    /** The position of {@code src[target]}, counting from {@code src[start]} at {@code pos}. */
    private static Position at(String src, int start, Position pos, int target) {
        int line = pos.line();
        int col = pos.col();
        for (int k = start; k < target; k++) {
            if (src.charAt(k) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Position(pos.file(), line, col);
    }

    private static CompileException error(Position pos, String message) {
        return new CompileException(new Diagnostic(pos, "rego_parse_error", message));
    }
}
