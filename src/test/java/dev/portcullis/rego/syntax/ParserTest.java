package dev.portcullis.rego.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {

    private static final String F = "t.rego";

    private static Module parse(String src) {
        return Parser.parse(F, src);
    }

    /** Parses {@code package t} + src and prints the rules, one per line. */
    private static String rules(String src) {
        Module m = parse("package t\n" + src);
        StringBuilder sb = new StringBuilder();
        for (Rule r : m.rules()) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(AstPrinter.print(r));
        }
        return sb.toString();
    }

    /** The single-literal body of {@code p if { <lit> }} printed. */
    private static String body(String lits) {
        Rule r = parse("package t\np if {\n" + lits + "\n}\n").rules().get(0);
        return AstPrinter.print(r.body());
    }

    /** A single expression printed (as the value of a complete rule). */
    private static String expr(String e) {
        Rule r = parse("package t\np := " + e + "\n").rules().get(0);
        return AstPrinter.print(r.value());
    }

    private static Term value(String e) {
        return parse("package t\np := " + e + "\n").rules().get(0).value();
    }

    private static List<Diagnostic> errors(String src) {
        CompileException ex = assertThrows(CompileException.class, () -> parse(src));
        return ex.diagnostics();
    }

    private static Diagnostic error(String src) {
        return errors(src).get(0);
    }

    private static Position pos(int line, int col) {
        return new Position(F, line, col);
    }

    private static void assertDiag(Diagnostic d, String code, int line, int col, String messagePart) {
        assertEquals(code, d.code(), d.toString());
        assertEquals(pos(line, col), d.pos(), d.toString());
        assertTrue(d.message().contains(messagePart), "message `" + d.message() + "` lacks `" + messagePart + "`");
    }

    // ------------------------------------------------------------------ package / imports

    @Test
    void packageAndImports() {
        Module m = parse("""
                package a.b["c-d"].e
                import rego.v1
                import future.keywords
                import future.keywords.in
                import data.x.y
                import data.x.z as zz
                import input.foo
                """);
        assertEquals(F, m.file());
        assertEquals(new Module.Package(pos(1, 1), List.of("a", "b", "c-d", "e")), m.pkg());
        assertEquals(List.of(
                new Module.Import(pos(2, 1), List.of("rego", "v1"), null),
                new Module.Import(pos(3, 1), List.of("future", "keywords"), null),
                new Module.Import(pos(4, 1), List.of("future", "keywords", "in"), null),
                new Module.Import(pos(5, 1), List.of("data", "x", "y"), null),
                new Module.Import(pos(6, 1), List.of("data", "x", "z"), "zz"),
                new Module.Import(pos(7, 1), List.of("input", "foo"), null)), m.imports());
        assertEquals(List.of(), m.rules());
    }

    @Test
    void packageDataPrefixIsDropped() {
        assertEquals(List.of("a"), parse("package data.a").pkg().path());
    }

    @Test
    void missingPackage() {
        assertDiag(error("p := 1"), "rego_parse_error", 1, 1, "expected `package`");
        assertDiag(error(""), "rego_parse_error", 1, 1, "expected `package`");
    }

    @Test
    void badImport() {
        assertDiag(error("package t\nimport foo.bar"), "rego_parse_error", 2, 8, "invalid import path");
    }

    // ------------------------------------------------------------------ rules

    @Test
    void exactAstWithPositions() {
        Module m = parse("package t\n\nallow if {\n\tinput.x == 1\n}\n");
        Rule r = m.rules().get(0);
        Term ref = new Term.Ref(pos(4, 2), new Term.Var(pos(4, 2), "input"), List.of(new Term.Str(pos(4, 8), "x")));
        Term eq = new Term.Call(pos(4, 10), "==", List.of(ref, new Term.Num(pos(4, 13), "1")));
        Rule expected = new Rule(pos(3, 1), Rule.Kind.COMPLETE, "allow", List.of(), null, null,
                new Body(pos(3, 10), List.of(new Literal.Expr(pos(4, 2), false, eq))), List.of());
        assertEquals(expected, r);
    }

    @Test
    void completeRules() {
        assertEquals("p := 1", rules("p := 1"));
        assertEquals("p := 1", rules("p = 1"));
        assertEquals("p if { true }", rules("p if { true }"));
        assertEquals("p := 2 if { (x := 1) }", rules("p := 2 if { x := 1 }"));
        assertEquals("p := 2 if { (x := 1) }", rules("p = 2 if { x := 1 }"));
        assertEquals("p if { (input.x > 1) }", rules("p if input.x > 1"));
        assertEquals("p := 3 if { not q }", rules("p := 3 if not q"));
        assertEquals("p := {} if { some x in y }", rules("p := {} if some x in y"));
        Rule r = parse("package t\np if q\n").rules().get(0);
        assertEquals(Rule.Kind.COMPLETE, r.kind());
        assertNull(r.value());
        assertEquals(List.of(), r.args());
        assertEquals(List.of(), r.elses());
        assertEquals(pos(2, 6), r.body().pos());
    }

    @Test
    void defaultRules() {
        Rule r = parse("package t\ndefault allow := false\n").rules().get(0);
        assertEquals(new Rule(pos(2, 1), Rule.Kind.DEFAULT, "allow", List.of(), null,
                new Term.Bool(pos(2, 18), false), null, List.of()), r);
        assertEquals("default p := {\"a\": [1]}", rules("default p = {\"a\": [1]}"));
        Rule f = parse("package t\ndefault f(_) := 0\n").rules().get(0);
        assertEquals(Rule.Kind.DEFAULT, f.kind());
        assertEquals(List.of(new Term.Var(pos(2, 11), "$_0")), f.args());
        assertDiag(error("package t\ndefault p := 1 if { true }"), "rego_parse_error", 2, 16, "default rules cannot have a body");
    }

    @Test
    void elseChains() {
        assertEquals("p := 1 if { false } else := 2 if { true } else := 3",
                rules("p := 1 if { false } else := 2 if { true } else := 3"));
        assertEquals("p := 1 if { false } else := 2 if { true } else := 3",
                rules("p := 1 if {\n  false\n}\nelse = 2 if {\n  true\n} else = 3"));
        assertEquals("p if { a } else if { b }", rules("p if { a } else if { b }"));
        assertEquals("f(x) := 1 if { (x > 0) } else := 0", rules("f(x) := 1 if { x > 0 } else := 0"));
        Rule r = parse("package t\np := 1 if { a } else := 2\n").rules().get(0);
        assertEquals(List.of(new Rule.Else(pos(2, 17), new Term.Num(pos(2, 25), "2"), null)), r.elses());
        assertDiag(error("package t\np := 1 else := 2"), "rego_parse_error", 2, 8, "without a body");
        assertDiag(error("package t\np contains 1 if { a } else := 2"), "rego_parse_error", 2, 23, "`else`");
    }

    @Test
    void partialSetRules() {
        assertEquals("p contains x if { some x in input }", rules("p contains x if { some x in input }"));
        assertEquals("p contains \"a\"", rules("p contains \"a\""));
        assertEquals("p contains [x, y] if { (x := 1); (y := 2) }", rules("p contains [x, y] if { x := 1; y := 2 }"));
        Rule r = parse("package t\np contains 1\n").rules().get(0);
        assertEquals(Rule.Kind.PARTIAL_SET, r.kind());
        assertEquals(new Term.Num(pos(2, 12), "1"), r.key());
        assertNull(r.value());
        assertNull(r.body());
    }

    @Test
    void partialObjectRules() {
        assertEquals("p[k] := v if { some k, v in input }", rules("p[k] := v if { some k, v in input }"));
        // a constant string key belongs to the rule's path: p["a"] is the rule p.a, as in OPA v1
        assertEquals("p.a := 1", rules("p[\"a\"] = 1"));
        Rule r = parse("package t\np[x] := 1 if x := \"a\"\n").rules().get(0);
        assertEquals(Rule.Kind.PARTIAL_OBJECT, r.kind());
        assertEquals(new Term.Var(pos(2, 3), "x"), r.key());
        assertEquals(new Term.Num(pos(2, 9), "1"), r.value());
    }

    @Test
    void functions() {
        assertEquals("f(x, y) := (x + y) if { (x > 0) }", rules("f(x, y) := x + y if { x > 0 }"));
        assertEquals("f(x) if { (x == 1) }", rules("f(x) if { x == 1 }"));
        assertEquals("f(x) := x", rules("f(x) = x"));
        assertEquals("f([a, $_0], {\"k\": v}, 1) := v", rules("f([a, _], {\"k\": v}, 1) := v"));
        Rule r = parse("package t\nf(x) := x\n").rules().get(0);
        assertEquals(Rule.Kind.FUNCTION, r.kind());
        assertEquals(List.of(new Term.Var(pos(2, 3), "x")), r.args());
    }

    @Test
    void multipleRulesAndSemicolons() {
        assertEquals("p := 1\nq := 2\nr := 3", rules("p := 1; q := 2\n\n# comment\nr := 3 # trailing"));
    }

    @Test
    void metadataCommentsAreIgnored() {
        assertEquals("p := 1", rules("# METADATA\n# title: x\n# custom:\n#   a: b\np := 1"));
    }

    // ------------------------------------------------------------------ rule head errors

    @Test
    void v0BodyWithoutIf() {
        assertDiag(error("package t\np { true }"), "rego_parse_error", 2, 3, "`if` keyword is required before rule body");
        assertDiag(error("package t\np = 1 { true }"), "rego_parse_error", 2, 7, "`if` keyword is required before rule body");
        assertDiag(error("package t\nf(x) { true }"), "rego_parse_error", 2, 6, "`if` keyword is required before rule body");
        assertDiag(error("package t\np contains x { x := 1 }"), "rego_parse_error", 2, 14, "`if` keyword is required");
        assertDiag(error("package t\np[x] { x := 1 }"), "rego_parse_error", 2, 6,
                "`contains` keyword is required for partial set rules");
        assertDiag(error("package t\np := 1 if { a } else = 2 { b }"), "rego_parse_error", 2, 26, "`if` keyword is required");
    }

    @Test
    void multipleErrorsAreCollected() {
        List<Diagnostic> ds = errors("package t\np { true }\nq = 1 {\n  true\n}\nok := 1\nr[x] { x := 1 }\n");
        assertEquals(3, ds.size(), ds.toString());
        assertEquals(pos(2, 3), ds.get(0).pos());
        assertEquals(pos(3, 7), ds.get(1).pos());
        assertEquals(pos(7, 6), ds.get(2).pos());
    }

    @Test
    void multiLevelRuleHeads() {
        Rule c = parse("package t\na.b.c := 1\n").rules().get(0);
        assertEquals(Rule.Kind.COMPLETE, c.kind());
        assertEquals(List.of("a", "b", "c"), c.path());
        assertEquals(List.of(), c.keys());
        Rule o = parse("package t\np[x].q[y] := 1 if { x := 1; y := 2 }\n").rules().get(0);
        assertEquals(Rule.Kind.PARTIAL_OBJECT, o.kind());
        assertEquals(List.of("p"), o.path());
        assertEquals(List.of(new Term.Var(pos(2, 3), "x"), new Term.Str(pos(2, 6), "q"), new Term.Var(pos(2, 8), "y")), o.keys());
        Rule s = parse("package t\np.q[x] contains 1 if x := 2\n").rules().get(0);
        assertEquals(Rule.Kind.PARTIAL_SET, s.kind());
        assertEquals(List.of("p", "q"), s.path());
        assertEquals(List.of(new Term.Var(pos(2, 5), "x")), s.keys());
        assertEquals(new Term.Num(pos(2, 17), "1"), s.key());
        Rule d = parse("package t\ndefault a.b[\"c\"] := 1\n").rules().get(0);
        assertEquals(List.of("a", "b", "c"), d.path());
        assertDiag(error("package t\ndefault p[x] := 1"), "rego_parse_error", 2, 11, "default rule heads must be ground");
        assertDiag(error("package t\np[x](y) := 1"), "rego_parse_error", 2, 5, "unexpected `(` in rule head p[x](y)");
    }

    @Test
    void keywordsLeadingAReferenceAreNames() {
        Rule r = parse("package t\nif.foo := 1\n").rules().get(0);
        assertEquals(List.of("if", "foo"), r.path());
        assertEquals("p if { (if.foo == 1) }", rules("p if { if.foo == 1 }"));
        assertEquals("p := else.x", rules("p := else.x"));
    }

    @Test
    void refHeadWithoutValue() {
        Rule r = parse("package t\np[x] if { x := 1 }\n").rules().get(0);
        assertEquals(Rule.Kind.PARTIAL_OBJECT, r.kind());
        assertNull(r.value());
        assertDiag(error("package t\np[x]\n"), "unsupported", 2, 1, "unsupported: rule head p[x] without value");
    }

    @Test
    void ruleHeadOther() {
        assertDiag(error("package t\np\n"), "rego_parse_error", 3, 1, "after rule head p");
        assertDiag(error("package t\np := 1 2"), "rego_parse_error", 2, 8, "unexpected number 2");
        assertDiag(error("package t\n:= 1"), "rego_parse_error", 2, 1, "expected a rule");
        assertDiag(error("package t\np := x := 1"), "rego_parse_error", 2, 8, "unexpected `:=`");
        assertDiag(error("package t\np if {}"), "rego_parse_error", 2, 6, "empty rule body");
    }

    // ------------------------------------------------------------------ literals

    @Test
    void someDeclarations() {
        Body b = parse("package t\np if { some x, y; x = y }").rules().get(0).body();
        assertEquals(new Literal.SomeDecl(pos(2, 8), List.of(new Term.Var(pos(2, 13), "x"), new Term.Var(pos(2, 16), "y"))),
                b.literals().get(0));
        assertEquals("{ some x in xs }", body("some x in xs"));
        assertEquals("{ some k, v in input.obj }", body("some k, v in input.obj"));
        assertEquals("{ some [a, b] in xs }", body("some [a, b] in xs"));
        assertEquals("{ some $_0, {\"a\": v} in xs }", body("some _, {\"a\": v} in xs"));
        Literal.SomeIn s = (Literal.SomeIn) parse("package t\np if { some x in xs }").rules().get(0).body().literals().get(0);
        assertNull(s.key());
        assertDiag(error("package t\np if { some x.y }"), "rego_parse_error", 2, 13, "expected variable in `some`");
        assertDiag(error("package t\np if { some a, b, c in xs }"), "rego_parse_error", 2, 21, "at most two");
    }

    @Test
    void everyLiterals() {
        assertEquals("{ every x in xs { (x > 0) } }", body("every x in xs { x > 0 }"));
        assertEquals("{ every k, v in o { (k != v); (v > 0) } }", body("every k, v in o {\n k != v\n v > 0\n}"));
        Literal.Every e = (Literal.Every) parse("package t\np if { every x in xs { x } }").rules().get(0).body().literals().get(0);
        assertNull(e.key());
        assertEquals(new Term.Var(pos(2, 14), "x"), e.value());
        assertDiag(error("package t\np if { every [x] in xs { x } }"), "rego_parse_error", 2, 14, "expected variable");
        assertDiag(error("package t\np if { every x in xs }"), "rego_parse_error", 2, 22, "expected `{`");
    }

    @Test
    void notLiterals() {
        assertEquals("{ not q; not (x == 1); not f(x) }", body("not q\nnot x == 1\nnot f(x)"));
        Literal.Expr e = (Literal.Expr) parse("package t\np if { not q }").rules().get(0).body().literals().get(0);
        assertTrue(e.negated());
        assertEquals(pos(2, 8), e.pos());
    }

    @Test
    void withIsUnsupported() {
        assertDiag(error("package t\np if {\n  not q with data.x as {}\n}"), "unsupported", 3, 14,
                "unsupported: with target data.x (only input and refs under input can be replaced)");
        assertDiag(error("package t\np if q with input[x] as 1"), "rego_parse_error", 2, 19, "constant keys");
    }

    @Test
    void withInputModifiers() {
        Module m = Parser.parse("t.rego", "package t\np if { q with input as {\"a\": 1} with input.b as 2 }");
        Literal.Expr e = (Literal.Expr) m.rules().get(0).body().literals().get(0);
        assertEquals(2, e.withs().size());
        assertEquals("input", ((Term.Var) e.withs().get(0).target()).name());
        Term.Ref r = (Term.Ref) e.withs().get(1).target();
        assertEquals(List.of(new Term.Str(r.path().get(0).pos(), "b")), r.path());
        assertEquals("2", ((Term.Num) e.withs().get(1).value()).text());
    }

    // ------------------------------------------------------------------ newline handling

    @Test
    void newlinesSeparateLiterals() {
        assertEquals("{ (x := 1); (y := 2); (z := 3) }", body("x := 1\ny := 2; z := 3"));
        // a binary operator ending a line continues the expression
        assertEquals("{ (x := (1 + 2)) }", body("x := 1 +\n 2"));
        // a binary operator starting a line does not
        assertDiag(error("package t\np if {\n x := 1\n + 2\n}"), "rego_parse_error", 4, 2, "unexpected `+`");
        // unary minus on the next line is a new literal
        assertEquals("{ (x := y); -1 }", body("x := y\n-1"));
        // inside brackets newlines are insignificant
        assertEquals("{ (x := [1, 2]); (y := {\"a\": 1}); (z := f(1, 2)); (w := (1 + 2)) }",
                body("x := [\n1,\n2\n]\ny := {\n\"a\"\n:\n1\n}\nz := f(\n1,\n2\n)\nw := (1\n+ 2)"));
        // refs do not continue across newlines: `[2]` is a new literal
        assertEquals("{ x; [2] }", body("x\n[2]"));
        assertDiag(error("package t\np if { x y }"), "rego_parse_error", 2, 10, "expected newline, `;` or `}`");
    }

    @Test
    void newlinesInComprehensionBodies() {
        assertEquals("{ (x := [v | some v in xs; (v > 1); (v < 10)]) }", body("x := [v |\n  some v in xs\n  v > 1; v < 10\n ]"));
        assertEquals("{k: (v + 1) | some k, v in o; (v > (1 + 2))}", expr("{k: v + 1 |\n some k, v in o\n v > 1 +\n 2\n}"));
    }

    // ------------------------------------------------------------------ expressions

    @Test
    void precedence() {
        assertEquals("(1 + (2 * 3))", expr("1 + 2 * 3"));
        assertEquals("((1 * 2) + 3)", expr("1 * 2 + 3"));
        assertEquals("((1 - 2) - 3)", expr("1 - 2 - 3"));
        assertEquals("(((a / b) % c) * d)", expr("a / b % c * d"));
        assertEquals("(a | (b & c))", expr("a | b & c"));
        assertEquals("((a & b) | c)", expr("a & b | c"));
        assertEquals("((a + b) & c)", expr("a + b & c"));
        assertEquals("((a | b) == c)", expr("a | b == c"));
        assertEquals("((a + 1) < (b * 2))", expr("a + 1 < b * 2"));
        assertEquals("((a == b) != c)", expr("a == b != c"));
        assertEquals("(x in (a | b))", expr("x in a | b"));
        assertEquals("((x == 1) in xs)", expr("x == 1 in xs"));
        assertEquals("((1 + 2) * 3)", expr("(1 + 2) * 3"));
        assertEquals("{ (x := (1 + 2)); (y = (a <= b)); (z := (a >= b)); (w := (a > b)) }",
                body("x := 1 + 2; y = a <= b; z := a >= b; w := a > b"));
        assertEquals("{ (x := (1 in xs)) }", body("x := 1 in xs"));
    }

    @Test
    void unaryMinus() {
        assertEquals(new Term.Num(pos(2, 6), "-1"), value("-1"));
        assertEquals(new Term.Num(pos(2, 6), "-2.5e3"), value("-2.5e3"));
        assertEquals(new Term.Call(pos(2, 6), "-", List.of(new Term.Num(pos(2, 6), "0"), new Term.Var(pos(2, 7), "x"))),
                value("-x"));
        assertEquals("((0 - x) * 2)", expr("-x * 2"));
        assertEquals("(1 - -1)", expr("1 - -1"));
        assertEquals("(1 - 1)", expr("1 -1"));
        assertEquals("(a - (0 - b.c))", expr("a - -b.c"));
    }

    @Test
    void binaryOperatorPositions() {
        Term t = value("a + b");
        assertEquals(new Term.Call(pos(2, 8), "+", List.of(new Term.Var(pos(2, 6), "a"), new Term.Var(pos(2, 10), "b"))), t);
    }

    @Test
    void membership() {
        assertEquals("{ (x in xs); (k, v in o); not (1 in xs); ((k, v in o) == true) }",
                body("x in xs\nk, v in o\nnot 1 in xs\n(k, v in o) == true"));
        Literal.Expr e = (Literal.Expr) parse("package t\np if { k, v in o }").rules().get(0).body().literals().get(0);
        assertEquals(new Term.Call(pos(2, 13), "in",
                List.of(new Term.Var(pos(2, 8), "k"), new Term.Var(pos(2, 11), "v"), new Term.Var(pos(2, 16), "o"))), e.term());
        assertEquals("{ (x := (1 in [1, 2])) }", body("x := 1 in [1, 2]"));
        // inside call args a comma separates arguments
        assertEquals("f(k, (v in o))", expr("f(k, v in o)"));
    }

    @Test
    void scalars() {
        assertEquals(new Term.Null(pos(2, 6)), value("null"));
        assertEquals(new Term.Bool(pos(2, 6), true), value("true"));
        assertEquals(new Term.Bool(pos(2, 6), false), value("false"));
        for (String n : List.of("0", "1", "12", "1.5", "0.25", "1e10", "1E+2", "2.5e-3", "0e0")) {
            assertEquals(new Term.Num(pos(2, 6), n), value(n));
        }
    }

    @Test
    void strings() {
        assertEquals(new Term.Str(pos(2, 6), "a\"\\/\b\f\n\r\t"), value("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\""));
        assertEquals("é", ((Term.Str) value("\"\\u00e9\"")).value());
        assertEquals("é", ((Term.Str) value("\"é\"")).value());
        assertEquals("😀", ((Term.Str) value("\"\\ud83d\\ude00\"")).value());
        assertEquals("😀x", ((Term.Str) value("\"😀x\"")).value());
        assertEquals("", ((Term.Str) value("\"\"")).value());
        // positions count characters (code points), not bytes
        Module m = parse("package t\np := [\"😀é\", x]");
        Term.Arr a = (Term.Arr) m.rules().get(0).value();
        assertEquals(pos(2, 13), a.items().get(1).pos());
    }

    @Test
    void rawStrings() {
        assertEquals(new Term.Str(pos(2, 6), "a\\nb \"c\""), value("`a\\nb \"c\"`"));
        Module m = parse("package t\np := `line1\nline2`\nq := 1");
        assertEquals("line1\nline2", ((Term.Str) m.rules().get(0).value()).value());
        assertEquals(pos(4, 1), m.rules().get(1).pos());
    }

    @Test
    void wildcards() {
        Module m = parse("package t\np if { x[_] == _ }\nq if { y[_] }");
        assertEquals("p if { (x[$_0] == $_1) }\nq if { y[$_2] }",
                AstPrinter.print(m.rules().get(0)) + "\n" + AstPrinter.print(m.rules().get(1)));
        Term.Var w = (Term.Var) ((Term.Ref) ((Literal.Expr) m.rules().get(1).body().literals().get(0)).term()).path().get(0);
        assertTrue(w.isWildcard());
        assertEquals(pos(3, 10), w.pos());
    }

    @Test
    void refs() {
        Term t = value("a.b[c][\"d\"][0].e");
        Term expected = new Term.Ref(pos(2, 6), new Term.Var(pos(2, 6), "a"), List.of(
                new Term.Str(pos(2, 8), "b"), new Term.Var(pos(2, 10), "c"), new Term.Str(pos(2, 13), "d"),
                new Term.Num(pos(2, 18), "0"), new Term.Str(pos(2, 21), "e")));
        assertEquals(expected, t);
        assertEquals("input[\"if\"][\"in\"]", expr("input.if.in"));
        assertEquals("[1, 2][0]", expr("[1, 2][0]"));
        assertEquals("x[(i + 1)]", expr("x[i + 1]"));
        assertEquals("data.x[input.y.z]", expr("data.x[input.y.z]"));
    }

    @Test
    void collections() {
        assertEquals("[]", expr("[]"));
        assertEquals("[1, \"a\", [true], null]", expr("[1, \"a\", [true], null,]"));
        assertEquals(new Term.Obj(pos(2, 6), List.of()), value("{}"));
        assertEquals(new Term.SetLit(pos(2, 6), List.of()), value("set()"));
        assertEquals("{\"a\": 1, \"b\": {\"c\": [2]}}", expr("{\"a\": 1, \"b\": {\"c\": [2]},}"));
        assertEquals("{x: (y + 1)}", expr("{x: y + 1}"));
        assertInstanceOf(Term.SetLit.class, value("{1}"));
        assertEquals("{1, 2, (a | b)}", expr("{1, 2, a | b,}"));
        Term.Obj o = (Term.Obj) value("{\"a\": 1}");
        assertEquals(List.of(new Term.Obj.Item(new Term.Str(pos(2, 7), "a"), new Term.Num(pos(2, 12), "1"))), o.items());
        assertEquals("set", expr("set"));
    }

    @Test
    void comprehensions() {
        assertEquals("[x | some x in xs]", expr("[x | some x in xs]"));
        assertEquals("{x | some x in xs; (x > 1)}", expr("{x | some x in xs; x > 1}"));
        assertEquals("{k: v | some k, v in o}", expr("{k: v | some k, v in o}"));
        assertEquals("[(x + 1) | (x := 1)]", expr("[x + 1 | x := 1]"));
        assertEquals("[[a, b] | (a := 1); (b := 2)]", expr("[[a, b] | a := 1; b := 2]"));
        Term.ArrayCompr c = (Term.ArrayCompr) value("[x | x := 1]");
        assertEquals(pos(2, 6), c.pos());
        assertEquals(pos(2, 11), c.body().pos());
        assertDiag(error("package t\np := [x | ]"), "rego_parse_error", 2, 11, "empty comprehension body");
    }

    @Test
    void calls() {
        Term t = value("object.get(o, \"k\", null)");
        assertEquals(new Term.Call(pos(2, 6), "object.get", List.of(new Term.Var(pos(2, 17), "o"),
                new Term.Str(pos(2, 20), "k"), new Term.Null(pos(2, 25)))), t);
        assertEquals("count(x)", expr("count(x)"));
        assertEquals("data.lib.f(1, 2)", expr("data.lib.f(1, 2,)"));
        assertEquals("f()", expr("f()"));
        assertEquals("contains(\"abc\", \"b\")", expr("contains(\"abc\", \"b\")"));
        Term r = value("f(x).y[0]");
        assertInstanceOf(Term.Ref.class, r);
        assertEquals(new Term.Call(pos(2, 6), "f", List.of(new Term.Var(pos(2, 8), "x"))), ((Term.Ref) r).head());
        assertEquals("f(x)[0]", expr("f(x)[0]"));
        assertDiag(error("package t\np := x[0](1)"), "rego_parse_error", 2, 10, "only named functions");
        assertDiag(error("package t\np := f(x)(1)"), "rego_parse_error", 2, 10, "only named functions");
    }

    @Test
    void parentheses() {
        assertEquals("((a + b) * c)", expr("(a + b) * c"));
        assertEquals("(a + (b * c))", expr("(a + (b * c))"));
        assertEquals("[1, 2][0]", expr("([1, 2])[0]"));
    }

    // ------------------------------------------------------------------ lexical errors

    @Test
    void lexicalErrors() {
        assertDiag(error("package t\np := \"abc\nq := 1"), "rego_parse_error", 2, 6, "unterminated string");
        assertDiag(error("package t\np := \"abc"), "rego_parse_error", 2, 6, "unterminated string");
        assertDiag(error("package t\np := `abc\n"), "rego_parse_error", 2, 6, "unterminated raw string");
        assertDiag(error("package t\np := \"a\\qb\""), "rego_parse_error", 2, 8, "invalid escape");
        assertDiag(error("package t\np := \"\\u12g4\""), "rego_parse_error", 2, 7, "invalid \\u escape");
        assertDiag(error("package t\np := 01"), "rego_parse_error", 2, 6, "leading zeros");
        assertDiag(error("package t\np := 1."), "rego_parse_error", 2, 6, "invalid number");
        assertDiag(error("package t\np := 1x"), "rego_parse_error", 2, 7, "invalid number");
        assertDiag(error("package t\np := 1 ! 2"), "rego_parse_error", 2, 8, "`!`");
        assertDiag(error("package t\np := 1 ^ 2"), "rego_parse_error", 2, 8, "illegal character `^`");
    }

    @Test
    void unexpectedTokens() {
        assertDiag(error("package t\np := )"), "rego_parse_error", 2, 6, "unexpected `)`, expected a term");
        assertDiag(error("package t\np := [1, 2"), "rego_parse_error", 2, 11, "unexpected end of file");
        assertDiag(error("package t\np := {\"a\": 1 \"b\"}"), "rego_parse_error", 2, 14, "expected `,` or `}`");
        assertDiag(error("package t\np if {\n  x := 1\n"), "rego_parse_error", 4, 1, "unexpected end of file, expected `}`");
        assertDiag(error("package t\np := 1 +\n"), "rego_parse_error", 3, 1, "unexpected end of file");
        assertDiag(error("package t\np if { x := if }"), "rego_parse_error", 2, 13, "unexpected keyword `if`");
        assertDiag(error("package t\npackage u"), "rego_parse_error", 2, 1, "second `package`");
    }
}
