package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.Position;

/**
 * One lexical token. {@code text} is the source text, except for strings where it is the decoded
 * value. {@code nlBefore} is set when a newline (or the start of the file) precedes the token;
 * {@code spaceBefore} when any whitespace, comment or newline does.
 */
public record Token(Kind kind, String text, Position pos, boolean nlBefore, boolean spaceBefore) {

    public enum Kind {
        IDENT("identifier"),
        NUMBER("number"),
        STRING("string"),
        LPAREN("("),
        RPAREN(")"),
        LBRACK("["),
        RBRACK("]"),
        LBRACE("{"),
        RBRACE("}"),
        COMMA(","),
        SEMI(";"),
        COLON(":"),
        DOT("."),
        ASSIGN(":="),
        UNIFY("="),
        EQ("=="),
        NEQ("!="),
        LT("<"),
        LTE("<="),
        GT(">"),
        GTE(">="),
        PLUS("+"),
        MINUS("-"),
        STAR("*"),
        SLASH("/"),
        PERCENT("%"),
        PIPE("|"),
        AMP("&"),
        /** A template string; text is its source from {@code $} to the closing delimiter. */
        TEMPLATE("template string"),
        EOF("end of file");

        final String display;

        Kind(String display) {
            this.display = display;
        }

        public String display() {
            return display;
        }
    }

    public boolean is(Kind k) {
        return kind == k;
    }

    /** True for an identifier token spelled {@code word} (keywords are lexed as identifiers). */
    public boolean isWord(String word) {
        return kind == Kind.IDENT && text.equals(word);
    }

    /** Human-readable description for error messages. */
    public String describe() {
        return switch (kind) {
            case IDENT -> Lexer.KEYWORDS.contains(text) ? "keyword `" + text + "`" : "identifier `" + text + "`";
            case NUMBER -> "number " + text;
            case STRING -> "string";
            case EOF -> "end of file";
            default -> "`" + kind.display + "`";
        };
    }
}
