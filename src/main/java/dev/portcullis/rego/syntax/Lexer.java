package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns Rego source text into tokens. Throws {@link CompileException} on the first lexical error. */
public final class Lexer {

    static final Set<String> KEYWORDS = Set.of(
            "package", "import", "default", "if", "else", "contains", "some", "every", "in", "not",
            "with", "as", "true", "false", "null");

    private final String file;
    private final String src;
    private int i;
    private int line = 1;
    private int col = 1;

    private Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    public static List<Token> tokenize(String file, String source) {
        return new Lexer(file, source).run();
    }

    public static boolean isKeyword(String word) {
        return KEYWORDS.contains(word);
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        boolean nl = true;
        boolean space = true;
        // skip a byte-order mark
        if (src.startsWith("\uFEFF")) {
            i = 1;
        }
        while (true) {
            // whitespace and comments
            while (i < src.length()) {
                char c = src.charAt(i);
                if (c == '\n') {
                    nl = true;
                    space = true;
                    advance();
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    space = true;
                    advance();
                } else if (c == '#') {
                    space = true;
                    while (i < src.length() && src.charAt(i) != '\n') {
                        advance();
                    }
                } else {
                    break;
                }
            }
            Position pos = here();
            if (i >= src.length()) {
                out.add(new Token(Token.Kind.EOF, "", pos, true, true));
                return out;
            }
            out.add(next(pos, nl, space));
            nl = false;
            space = false;
        }
    }

    private Token next(Position pos, boolean nl, boolean space) {
        char c = src.charAt(i);
        int start = i;
        if (isIdentStart(c)) {
            while (i < src.length() && isIdentPart(src.charAt(i))) {
                advance();
            }
            return new Token(Token.Kind.IDENT, src.substring(start, i), pos, nl, space);
        }
        if (c >= '0' && c <= '9') {
            return number(pos, nl, space);
        }
        if (c == '"') {
            return string(pos, nl, space);
        }
        if (c == '$' && i + 1 < src.length() && (src.charAt(i + 1) == '"' || src.charAt(i + 1) == '`')) {
            int end = Template.scan(src, i, pos).end();
            while (i < end) {
                advance();
            }
            return new Token(Token.Kind.TEMPLATE, src.substring(start, end), pos, nl, space);
        }
        if (c == '`') {
            advance();
            int s = i;
            while (i < src.length() && src.charAt(i) != '`') {
                advance();
            }
            if (i >= src.length()) {
                throw error(pos, "unterminated raw string");
            }
            String value = src.substring(s, i);
            advance();
            return new Token(Token.Kind.STRING, value, pos, nl, space);
        }
        Token.Kind kind;
        int len = 1;
        char d = i + 1 < src.length() ? src.charAt(i + 1) : '\0';
        switch (c) {
            case '(' -> kind = Token.Kind.LPAREN;
            case ')' -> kind = Token.Kind.RPAREN;
            case '[' -> kind = Token.Kind.LBRACK;
            case ']' -> kind = Token.Kind.RBRACK;
            case '{' -> kind = Token.Kind.LBRACE;
            case '}' -> kind = Token.Kind.RBRACE;
            case ',' -> kind = Token.Kind.COMMA;
            case ';' -> kind = Token.Kind.SEMI;
            case '.' -> kind = Token.Kind.DOT;
            case '+' -> kind = Token.Kind.PLUS;
            case '-' -> kind = Token.Kind.MINUS;
            case '*' -> kind = Token.Kind.STAR;
            case '/' -> kind = Token.Kind.SLASH;
            case '%' -> kind = Token.Kind.PERCENT;
            case '|' -> kind = Token.Kind.PIPE;
            case '&' -> kind = Token.Kind.AMP;
            case ':' -> {
                if (d == '=') {
                    kind = Token.Kind.ASSIGN;
                    len = 2;
                } else {
                    kind = Token.Kind.COLON;
                }
            }
            case '=' -> {
                if (d == '=') {
                    kind = Token.Kind.EQ;
                    len = 2;
                } else {
                    kind = Token.Kind.UNIFY;
                }
            }
            case '!' -> {
                if (d != '=') {
                    throw error(pos, "unexpected character `!` (did you mean `!=` or `not`?)");
                }
                kind = Token.Kind.NEQ;
                len = 2;
            }
            case '<' -> {
                if (d == '=') {
                    kind = Token.Kind.LTE;
                    len = 2;
                } else {
                    kind = Token.Kind.LT;
                }
            }
            case '>' -> {
                if (d == '=') {
                    kind = Token.Kind.GTE;
                    len = 2;
                } else {
                    kind = Token.Kind.GT;
                }
            }
            default -> throw error(pos, "illegal character " + describeChar(src.codePointAt(i)));
        }
        for (int k = 0; k < len; k++) {
            advance();
        }
        return new Token(kind, src.substring(start, i), pos, nl, space);
    }

    private Token number(Position pos, boolean nl, boolean space) {
        int start = i;
        if (src.charAt(i) == '0') {
            advance();
            if (i < src.length() && isDigit(src.charAt(i))) {
                throw error(pos, "invalid number: leading zeros are not allowed");
            }
        } else {
            digits();
        }
        if (i < src.length() && src.charAt(i) == '.') {
            advance();
            if (i >= src.length() || !isDigit(src.charAt(i))) {
                throw error(pos, "invalid number: expected digit after `.`");
            }
            digits();
        }
        if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
            advance();
            if (i < src.length() && (src.charAt(i) == '+' || src.charAt(i) == '-')) {
                advance();
            }
            if (i >= src.length() || !isDigit(src.charAt(i))) {
                throw error(pos, "invalid number: expected digit in exponent");
            }
            digits();
        }
        if (i < src.length() && (isIdentPart(src.charAt(i)) || src.charAt(i) == '.')) {
            throw error(here(), "invalid number: unexpected " + describeChar(src.codePointAt(i)));
        }
        return new Token(Token.Kind.NUMBER, src.substring(start, i), pos, nl, space);
    }

    private void digits() {
        while (i < src.length() && isDigit(src.charAt(i))) {
            advance();
        }
    }

    private Token string(Position pos, boolean nl, boolean space) {
        advance(); // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= src.length() || src.charAt(i) == '\n') {
                throw error(pos, "unterminated string");
            }
            char c = src.charAt(i);
            if (c == '"') {
                advance();
                return new Token(Token.Kind.STRING, sb.toString(), pos, nl, space);
            }
            if (c != '\\') {
                sb.append(c);
                advance();
                continue;
            }
            Position escPos = here();
            advance();
            if (i >= src.length() || src.charAt(i) == '\n') {
                throw error(pos, "unterminated string");
            }
            char e = src.charAt(i);
            advance();
            int simple = simpleEscape(e);
            if (simple >= 0) {
                sb.append((char) simple);
            } else if (e == 'u') {
                int cp = hex4(src, i);
                if (cp < 0) {
                    throw error(escPos, "invalid \\u escape in string: expected 4 hex digits");
                }
                for (int k = 0; k < 4; k++) {
                    advance();
                }
                // surrogate pairs arrive as two consecutive escapes; UTF-16 chars compose naturally
                sb.append((char) cp);
            } else {
                throw error(escPos, "invalid escape sequence \\" + e + " in string");
            }
        }
    }

    /** The character a one-letter JSON escape ({@code \\n}, {@code \\"}, …) stands for, or -1. */
    static int simpleEscape(char e) {
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> -1;
        };
    }

    /** The value of the four hex digits at {@code src[at]}, or -1 unless all four are hex digits (no sign). */
    static int hex4(String src, int at) {
        if (at + 4 > src.length()) {
            return -1;
        }
        int cp = 0;
        for (int k = at; k < at + 4; k++) {
            int h = Character.digit(src.charAt(k), 16);
            if (h < 0) {
                return -1;
            }
            cp = cp * 16 + h;
        }
        return cp;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static String describeChar(int cp) {
        if (cp < 0x20 || cp == 0x7f) {
            return String.format("U+%04X", cp);
        }
        return "`" + new String(Character.toChars(cp)) + "`";
    }

    private void advance() {
        char c = src.charAt(i++);
        if (c == '\n') {
            line++;
            col = 1;
        } else if (!(Character.isLowSurrogate(c) && i >= 2 && Character.isHighSurrogate(src.charAt(i - 2)))) {
            col++;
        }
    }

    private Position here() {
        return new Position(file, line, col);
    }

    private CompileException error(Position pos, String message) {
        return new CompileException(new Diagnostic(pos, "rego_parse_error", message));
    }
}
