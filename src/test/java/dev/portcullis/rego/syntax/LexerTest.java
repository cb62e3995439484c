package dev.portcullis.rego.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.diag.Position;
import dev.portcullis.rego.syntax.Token.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class LexerTest {

    @Test
    void tokensAndFlags() {
        List<Token> ts = Lexer.tokenize("f", "a := b[0] # c\n  != <= >= == = < > + - * / % | & ; , : . ( ) { }");
        List<Kind> kinds = ts.stream().map(Token::kind).toList();
        assertEquals(List.of(Kind.IDENT, Kind.ASSIGN, Kind.IDENT, Kind.LBRACK, Kind.NUMBER, Kind.RBRACK,
                Kind.NEQ, Kind.LTE, Kind.GTE, Kind.EQ, Kind.UNIFY, Kind.LT, Kind.GT, Kind.PLUS, Kind.MINUS,
                Kind.STAR, Kind.SLASH, Kind.PERCENT, Kind.PIPE, Kind.AMP, Kind.SEMI, Kind.COMMA, Kind.COLON,
                Kind.DOT, Kind.LPAREN, Kind.RPAREN, Kind.LBRACE, Kind.RBRACE, Kind.EOF), kinds);
        assertTrue(ts.get(0).nlBefore());
        assertFalse(ts.get(1).nlBefore());
        assertTrue(ts.get(1).spaceBefore());
        assertFalse(ts.get(3).spaceBefore());
        assertTrue(ts.get(6).nlBefore());
        assertEquals(new Position("f", 2, 3), ts.get(6).pos());
    }

    @Test
    void stringsAreDecoded() {
        Token t = Lexer.tokenize("f", "\"x\\u0041\\n\"").get(0);
        assertEquals(Kind.STRING, t.kind());
        assertEquals("xA\n", t.text());
        Token r = Lexer.tokenize("f", "`a\\n\nb`  z").get(1);
        assertEquals(new Position("f", 2, 5), r.pos());
        assertTrue(r.nlBefore() == false);
    }

    @Test
    void byteOrderMarkIsSkipped() {
        assertEquals(new Position("f", 1, 1), Lexer.tokenize("f", "\uFEFFpackage").get(0).pos());
    }
}
