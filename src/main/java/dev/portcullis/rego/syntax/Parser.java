package dev.portcullis.rego.syntax;

import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import dev.portcullis.rego.syntax.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Recursive-descent parser for Rego v1 modules.
 *
 * <p>Conventions of the produced AST:
 * <ul>
 *   <li>Binary operators become {@code Call(opPos, symbol, [lhs, rhs])} positioned at the operator.</li>
 *   <li>{@code Rule.args} is an empty list for non-functions; {@code Rule.elses} is never null.</li>
 *   <li>Rule position: the rule name, or the {@code default} keyword for default rules.</li>
 *   <li>Wildcards {@code _} become vars {@code $_0, $_1, ...} numbered per module.</li>
 * </ul>
 *
 * <p>Newlines separate body literals; inside (), [] and object/set braces they are insignificant.
 * In a body an expression continues on the next line only when the line ends inside brackets or
 * with an operator.
 */
public final class Parser {

    public static final String PARSE_ERROR = "rego_parse_error";
    public static final String UNSUPPORTED = "unsupported";

    // binary operator precedences (higher binds tighter)
    private static final int P_ASSIGN = 1;
    private static final int P_IN = 2;
    private static final int P_REL = 3;
    private static final int P_OR = 4;
    private static final int P_AND = 5;
    private static final int P_ARITH = 6;
    private static final int P_FACTOR = 7;

    private final String file;
    private final List<Token> toks;
    private int p;
    private int wildcards;
    /** Whether newlines are significant in the current bracket context (true in bodies / top level). */
    private final Deque<Boolean> nlModes = new ArrayDeque<>();
    private final List<Diagnostic> diags = new ArrayList<>();

    /** Internal unwinding signal carrying a diagnostic. */
    private static final class Failure extends RuntimeException {
        final Diagnostic diag;

        Failure(Diagnostic diag) {
            super(diag.message(), null, false, false);
            this.diag = diag;
        }
    }

    private Parser(String file, List<Token> toks) {
        this.file = file;
        this.toks = toks;
        nlModes.push(true);
    }

    /**
     * Parses one module.
     *
     * @throws CompileException with {@code rego_parse_error} / {@code unsupported} diagnostics
     */
    public static Module parse(String file, String source) {
        List<Token> toks = Lexer.tokenize(file, source);
        return new Parser(file, toks).module();
    }

    // ------------------------------------------------------------------ module level

    private Module module() {
        Module.Package pkg = null;
        List<Module.Import> imports = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        boolean first = true;
        while (true) {
            while (peek().is(Kind.SEMI)) {
                p++;
            }
            if (peek().is(Kind.EOF)) {
                break;
            }
            int start = p;
            try {
                Token t = peek();
                if (first && !t.isWord("package")) {
                    throw fail(t.pos(), "expected `package` declaration, found " + t.describe());
                }
                if (t.isWord("package") && !keywordRef(t)) {
                    if (!first) {
                        throw fail(t.pos(), "unexpected second `package` declaration");
                    }
                    pkg = packageDecl();
                } else if (t.isWord("import") && !keywordRef(t)) {
                    imports.add(importDecl());
                } else {
                    rules.add(rule());
                }
                endOfStatement();
            } catch (Failure f) {
                diags.add(f.diag);
                recover(start);
            }
            first = false;
        }
        if (pkg == null && diags.isEmpty()) {
            diags.add(new Diagnostic(peek().pos(), PARSE_ERROR, "expected `package` declaration, found end of file"));
        }
        if (!diags.isEmpty()) {
            throw new CompileException(diags);
        }
        return new Module(file, pkg, List.copyOf(imports), List.copyOf(rules));
    }

    /** Skips to the next identifier at the start of a line (a likely statement start). */
    private void recover(int start) {
        nlModes.clear();
        nlModes.push(true);
        if (p <= start) {
            p = start + 1;
        }
        while (p < toks.size() - 1) {
            Token t = toks.get(p);
            if (t.nlBefore() && t.pos().col() == 1 && t.is(Kind.IDENT)) {
                return;
            }
            p++;
        }
        p = toks.size() - 1;
    }

    private void endOfStatement() {
        Token t = peek();
        if (t.is(Kind.EOF) || t.nlBefore()) {
            return;
        }
        if (t.is(Kind.SEMI)) {
            p++;
            return;
        }
        if (t.isWord("with")) {
            throw unsupported(t.pos(), "unsupported: with keyword");
        }
        throw fail(t.pos(), "unexpected " + t.describe() + ", expected end of statement");
    }

    private Module.Package packageDecl() {
        Token kw = next();
        List<String> path = dottedPath("package");
        if (path.get(0).equals("data")) {
            path = path.subList(1, path.size());
            if (path.isEmpty()) {
                throw fail(kw.pos(), "package path must not be just `data`");
            }
        }
        return new Module.Package(kw.pos(), List.copyOf(path));
    }

    private Module.Import importDecl() {
        Token kw = next();
        Token rootTok = peek();
        List<String> path = dottedPath("import");
        String root = path.get(0);
        if (!(root.equals("data") || root.equals("input") || root.equals("future") || root.equals("rego"))) {
            throw fail(rootTok.pos(), "invalid import path: must begin with `data`, `input`, `future` or `rego`");
        }
        String alias = null;
        if (peek().isWord("as") && !peek().nlBefore()) {
            p++;
            Token a = peek();
            if (!a.is(Kind.IDENT) || Lexer.isKeyword(a.text()) || a.text().equals("_")) {
                throw fail(a.pos(), "expected alias name after `as`, found " + a.describe());
            }
            p++;
            if (root.equals("future") || root.equals("rego")) {
                throw fail(a.pos(), "`" + root + "` imports cannot be aliased");
            }
            alias = a.text();
        }
        return new Module.Import(kw.pos(), List.copyOf(path), alias);
    }

    /** {@code a.b["c"]} as used by package and import declarations. */
    private List<String> dottedPath(String what) {
        List<String> path = new ArrayList<>();
        Token t = peek();
        if (!t.is(Kind.IDENT) || Lexer.isKeyword(t.text()) || t.nlBefore()) {
            throw fail(t.pos(), "expected " + what + " path, found " + t.describe());
        }
        p++;
        path.add(t.text());
        while (true) {
            Token d = peek();
            if (d.is(Kind.DOT) && !d.spaceBefore()) {
                p++;
                Token n = peek();
                if (!n.is(Kind.IDENT) || n.spaceBefore()) {
                    throw fail(n.pos(), "expected name after `.`, found " + n.describe());
                }
                p++;
                path.add(n.text());
            } else if (d.is(Kind.LBRACK) && !d.spaceBefore()) {
                p++;
                Token s = peek();
                if (!s.is(Kind.STRING)) {
                    throw fail(s.pos(), "expected string in " + what + " path, found " + s.describe());
                }
                p++;
                expect(Kind.RBRACK);
                path.add(s.text());
            } else {
                return path;
            }
        }
    }

    // ------------------------------------------------------------------ rules

    private Rule rule() {
        Token start = peek();
        if (start.isWord("default") && !keywordRef(start)) {
            return defaultRule();
        }
        if (!start.is(Kind.IDENT) || Lexer.isKeyword(start.text()) && !keywordRef(start) || start.text().equals("_")) {
            throw fail(start.pos(), "unexpected " + start.describe() + ", expected a rule");
        }
        p++;
        String name = start.text();
        List<String> path = new ArrayList<>(List.of(name));
        List<Term> keys = new ArrayList<>();
        List<Term> args = null;
        Token t;
        while (true) {
            t = peek();
            if (t.spaceBefore() || args != null) {
                break;
            }
            if (t.is(Kind.DOT)) {
                p++;
                Token n = peek();
                if (!n.is(Kind.IDENT) || n.spaceBefore()) {
                    throw fail(n.pos(), "expected name after `.`, found " + n.describe());
                }
                p++;
                if (keys.isEmpty()) {
                    path.add(n.text());
                } else {
                    keys.add(new Term.Str(n.pos(), n.text()));
                }
            } else if (t.is(Kind.LBRACK)) {
                p++;
                nlModes.push(false);
                Term k = expr(P_IN);
                expect(Kind.RBRACK);
                nlModes.pop();
                if (keys.isEmpty() && k instanceof Term.Str s) {
                    path.add(s.value());
                } else {
                    keys.add(k);
                }
            } else if (t.is(Kind.LPAREN) && keys.isEmpty()) {
                args = callArgs();
            } else {
                break;
            }
        }
        if ((t.is(Kind.LBRACK) || t.is(Kind.DOT) || t.is(Kind.LPAREN)) && !t.spaceBefore()) {
            throw fail(t.pos(), "unexpected " + t.describe() + " in rule head " + headText(start));
        }
        Term key = keys.isEmpty() ? null : keys.get(0);
        t = peek();
        boolean sameLine = !t.nlBefore();
        if (t.isWord("contains") && sameLine) {
            if (args != null) {
                throw fail(t.pos(), "unexpected `contains` after function head " + name + "(...)");
            }
            p++;
            Term elem = expr(P_IN);
            Body body = optionalBody();
            noElse("partial set rule");
            return new Rule(start.pos(), Rule.Kind.PARTIAL_SET, path, List.of(), elem, null, body, List.of(), keys);
        }
        Rule.Kind kind = args != null ? Rule.Kind.FUNCTION : key != null ? Rule.Kind.PARTIAL_OBJECT : Rule.Kind.COMPLETE;
        if ((t.is(Kind.ASSIGN) || t.is(Kind.UNIFY)) && sameLine) {
            p++;
            Term value = expr(P_IN);
            Body body = optionalBody();
            if (kind == Rule.Kind.PARTIAL_OBJECT) {
                noElse("partial object rule");
                return new Rule(start.pos(), kind, path, List.of(), key, value, body, List.of(), keys);
            }
            List<Rule.Else> elses = elses(body);
            return new Rule(start.pos(), kind, path, args == null ? List.of() : args, null, value, body, elses, keys);
        }
        if (t.isWord("if") && !keywordRef(t)) {
            p++;
            Body body = ifBody();
            if (kind == Rule.Kind.PARTIAL_OBJECT) {
                // `p[x] if body`: the value at the key is true
                noElse("partial object rule");
                return new Rule(start.pos(), kind, path, List.of(), key, null, body, List.of(), keys);
            }
            List<Rule.Else> elses = elses(body);
            return new Rule(start.pos(), kind, path, args == null ? List.of() : args, null, null, body, elses, keys);
        }
        if (t.is(Kind.LBRACE)) {
            if (key != null) {
                throw fail(t.pos(), "`contains` keyword is required for partial set rules");
            }
            throw fail(t.pos(), "`if` keyword is required before rule body");
        }
        if (key != null) {
            throw unsupported(start.pos(), "unsupported: rule head " + headText(start)
                    + " without value (use contains for sets)");
        }
        if (t.isWord("with")) {
            throw unsupported(t.pos(), "unsupported: with keyword");
        }
        throw fail(t.pos(), "unexpected " + t.describe() + " after rule head " + String.join(".", path)
                + ", expected `:=`, `=`, `if`" + (args == null ? " or `contains`" : ""));
    }

    private String headText(Token start) {
        int q = toks.indexOf(start);
        StringBuilder sb = new StringBuilder(start.text());
        q++;
        while (q < toks.size() && !toks.get(q).spaceBefore() && !toks.get(q).is(Kind.EOF)) {
            sb.append(toks.get(q).kind() == Kind.STRING ? "\"" + toks.get(q).text() + "\"" : toks.get(q).text());
            q++;
        }
        return sb.toString();
    }

    /** A keyword directly followed by {@code .name}: the head of a reference, not the keyword. */
    private boolean keywordRef(Token t) {
        if (!t.is(Kind.IDENT) || !Lexer.isKeyword(t.text())) {
            return false;
        }
        int i = toks.get(p) == t ? p : toks.indexOf(t);
        if (i < 0 || i + 2 >= toks.size()) {
            return false;
        }
        Token d = toks.get(i + 1);
        Token n = toks.get(i + 2);
        return d.is(Kind.DOT) && !d.spaceBefore() && n.is(Kind.IDENT) && !n.spaceBefore();
    }

    private Rule defaultRule() {
        Token kw = next();
        Token n = peek();
        if (!n.is(Kind.IDENT) || Lexer.isKeyword(n.text()) && !keywordRef(n) || n.text().equals("_")) {
            throw fail(n.pos(), "expected rule name after `default`, found " + n.describe());
        }
        p++;
        List<Term> args = List.of();
        List<String> path = new ArrayList<>(List.of(n.text()));
        Token t = peek();
        while ((t.is(Kind.LBRACK) || t.is(Kind.DOT)) && !t.spaceBefore()) {
            p++;
            if (t.is(Kind.DOT)) {
                Token seg = peek();
                if (!seg.is(Kind.IDENT) || seg.spaceBefore()) {
                    throw fail(seg.pos(), "expected name after `.`, found " + seg.describe());
                }
                p++;
                path.add(seg.text());
            } else {
                Token seg = peek();
                if (!seg.is(Kind.STRING)) {
                    throw fail(seg.pos(), "default rule heads must be ground: expected a string, found " + seg.describe());
                }
                p++;
                expect(Kind.RBRACK);
                path.add(seg.text());
            }
            t = peek();
        }
        if (t.is(Kind.LPAREN) && !t.spaceBefore()) {
            args = callArgs();
        }
        t = peek();
        if (!(t.is(Kind.ASSIGN) || t.is(Kind.UNIFY)) || t.nlBefore()) {
            throw fail(t.pos(), "expected `:=` or `=` after default rule head, found " + t.describe());
        }
        p++;
        Term value = expr(P_IN);
        Token after = peek();
        if (after.isWord("if") && !keywordRef(after) || (after.is(Kind.LBRACE) && !after.nlBefore())) {
            throw fail(after.pos(), "default rules cannot have a body");
        }
        return new Rule(kw.pos(), Rule.Kind.DEFAULT, path, args, null, value, null, List.of(), List.of());
    }

    /** {@code if body} or nothing; a brace directly after the head is a v0-style body. */
    private Body optionalBody() {
        Token t = peek();
        if (t.isWord("if") && !keywordRef(t)) {
            p++;
            return ifBody();
        }
        if (t.is(Kind.LBRACE) && !t.nlBefore()) {
            throw fail(t.pos(), "`if` keyword is required before rule body");
        }
        return null;
    }

    /** After {@code if}: a braced body or a single literal. */
    private Body ifBody() {
        Token t = peek();
        if (t.is(Kind.LBRACE)) {
            return braceBody();
        }
        if (t.is(Kind.EOF)) {
            throw fail(t.pos(), "expected rule body after `if`, found end of file");
        }
        Literal lit = literal();
        return new Body(lit.pos(), List.of(lit));
    }

    private List<Rule.Else> elses(Body body) {
        List<Rule.Else> out = new ArrayList<>();
        Body last = body;
        while (peek().isWord("else") && !keywordRef(peek())) {
            Token kw = next();
            if (last == null) {
                throw fail(kw.pos(), "`else` keyword cannot be used on a rule without a body");
            }
            Term value = null;
            Token t = peek();
            if ((t.is(Kind.ASSIGN) || t.is(Kind.UNIFY)) && !t.nlBefore()) {
                p++;
                value = expr(P_IN);
            }
            Body b = optionalBody();
            if (b == null && value == null) {
                Token u = peek();
                throw fail(u.pos(), "expected `:=`, `=` or `if` after `else`, found " + u.describe());
            }
            out.add(new Rule.Else(kw.pos(), value, b));
            last = b;
        }
        return List.copyOf(out);
    }

    private void noElse(String what) {
        Token t = peek();
        if (t.isWord("else") && !keywordRef(t)) {
            throw fail(t.pos(), "`else` keyword cannot be used on a " + what);
        }
    }

    // ------------------------------------------------------------------ bodies and literals

    private Body braceBody() {
        Token open = expect(Kind.LBRACE);
        nlModes.push(true);
        List<Literal> lits = literals(Kind.RBRACE);
        nlModes.pop();
        expect(Kind.RBRACE);
        if (lits.isEmpty()) {
            throw fail(open.pos(), "empty rule body");
        }
        return new Body(open.pos(), lits);
    }

    /** Literals separated by newlines or {@code ;}, up to (not consuming) {@code end}. */
    private List<Literal> literals(Kind end) {
        List<Literal> lits = new ArrayList<>();
        while (true) {
            while (peek().is(Kind.SEMI)) {
                p++;
            }
            Token t = peek();
            if (t.is(end)) {
                return lits;
            }
            if (t.is(Kind.EOF)) {
                throw fail(t.pos(), "unexpected end of file, expected `" + end.display() + "`");
            }
            lits.add(literal());
            Token n = peek();
            if (n.is(Kind.SEMI) || n.is(end) || n.nlBefore()) {
                continue;
            }
            throw fail(n.pos(), "unexpected " + n.describe() + ", expected newline, `;` or `" + end.display() + "`");
        }
    }

    private Literal literal() {
        Token t = peek();
        Literal lit;
        if (keywordRef(t)) {
            lit = new Literal.Expr(t.pos(), false, topExpr(), withs());
        } else if (t.isWord("some")) {
            lit = someDecl();
            if (lit instanceof Literal.SomeIn s && peek().isWord("with")) {
                lit = new Literal.SomeIn(s.pos(), s.key(), s.value(), s.collection(), withs());
            }
        } else if (t.isWord("every")) {
            lit = every();
            if (lit instanceof Literal.Every e && peek().isWord("with")) {
                lit = new Literal.Every(e.pos(), e.key(), e.value(), e.collection(), e.body(), withs());
            }
        } else if (t.isWord("not")) {
            p++;
            Token n = peek();
            if (n.isWord("not") || n.isWord("some") || n.isWord("every")) {
                throw fail(n.pos(), "unexpected " + n.describe() + " after `not`");
            }
            lit = new Literal.Expr(t.pos(), true, topExpr(), withs());
        } else {
            lit = new Literal.Expr(t.pos(), false, topExpr(), withs());
        }
        return lit;
    }

    /** {@code with input as x} modifiers; only input (or a ref below it) can be replaced. */
    private List<Literal.With> withs() {
        List<Literal.With> out = new ArrayList<>();
        while (peek().isWord("with") && canContinue(peek())) {
            Token w = next();
            Term target = expr(P_REL + 1);
            Term head = target instanceof Term.Ref r ? r.head() : target;
            if (!(head instanceof Term.Var v) || !v.name().equals("input")) {
                throw unsupported(target.pos(), "unsupported: with target " + AstPrinter.print(target)
                        + " (only input and refs under input can be replaced)");
            }
            if (target instanceof Term.Ref r) {
                for (Term seg : r.path()) {
                    if (!(seg instanceof Term.Str)) {
                        throw fail(seg.pos(), "with target must be a ref of constant keys");
                    }
                }
            }
            Token as = peek();
            if (!as.isWord("as")) {
                throw fail(as.pos(), "unexpected " + as.describe() + ", expected `as`");
            }
            p++;
            out.add(new Literal.With(w.pos(), target, expr(P_REL)));
        }
        return out;
    }

    private Literal someDecl() {
        Token kw = next();
        List<Term> terms = new ArrayList<>();
        terms.add(expr(P_REL));
        while (peek().is(Kind.COMMA)) {
            p++;
            terms.add(expr(P_REL));
        }
        Token t = peek();
        if (t.isWord("in")) {
            if (terms.size() > 2) {
                throw fail(t.pos(), "`some ... in` takes at most two variables (key, value)");
            }
            p++;
            Term coll = expr(P_REL);
            return terms.size() == 2
                    ? new Literal.SomeIn(kw.pos(), terms.get(0), terms.get(1), coll)
                    : new Literal.SomeIn(kw.pos(), null, terms.get(0), coll);
        }
        List<Term.Var> vars = new ArrayList<>();
        for (Term v : terms) {
            if (!(v instanceof Term.Var var)) {
                throw fail(v.pos(), "expected variable in `some` declaration, found " + AstPrinter.print(v));
            }
            vars.add(var);
        }
        return new Literal.SomeDecl(kw.pos(), List.copyOf(vars));
    }

    private Literal every() {
        Token kw = next();
        Term.Var a = everyVar();
        Term.Var b = null;
        if (peek().is(Kind.COMMA)) {
            p++;
            b = everyVar();
        }
        Token in = peek();
        if (!in.isWord("in")) {
            throw fail(in.pos(), "expected `in` in `every` declaration, found " + in.describe());
        }
        p++;
        Term coll = expr(P_REL);
        Token open = peek();
        if (!open.is(Kind.LBRACE)) {
            throw fail(open.pos(), "expected `{` to start `every` body, found " + open.describe());
        }
        Body body = braceBody();
        return b == null
                ? new Literal.Every(kw.pos(), null, a, coll, body)
                : new Literal.Every(kw.pos(), a, b, coll, body);
    }

    private Term.Var everyVar() {
        Token t = peek();
        Term v = expr(P_REL);
        if (!(v instanceof Term.Var var)) {
            throw fail(t.pos(), "expected variable in `every` declaration, found " + AstPrinter.print(v));
        }
        return var;
    }

    // ------------------------------------------------------------------ expressions

    /** Expression at literal top level / inside parens: allows {@code k, v in xs} and assignment. */
    private Term topExpr() {
        return climb(memberOrExpr(P_REL), P_ASSIGN);
    }

    /** An expression that may be {@code key, value in coll} (literal level and assignment right sides). */
    private Term memberOrExpr(int minPrec) {
        Term lhs = expr(Math.max(minPrec, P_REL));
        Token c = peek();
        if (c.is(Kind.COMMA)) {
            p++;
            Term value = expr(P_REL);
            Token in = peek();
            if (!in.isWord("in")) {
                throw fail(in.pos(), "unexpected " + in.describe() + ", expected `in` after `key, value`");
            }
            p++;
            Term coll = expr(P_REL);
            lhs = new Term.Call(in.pos(), "in", List.of(lhs, value, coll));
            return lhs;
        }
        return climb(lhs, minPrec);
    }

    private Term expr(int minPrec) {
        return climb(unary(), minPrec);
    }

    private boolean canContinue(Token t) {
        return !(nlModes.peek() && t.nlBefore());
    }

    private static int precedence(Token t) {
        return switch (t.kind()) {
            case ASSIGN, UNIFY -> P_ASSIGN;
            case EQ, NEQ, LT, LTE, GT, GTE -> P_REL;
            case PIPE -> P_OR;
            case AMP -> P_AND;
            case PLUS, MINUS -> P_ARITH;
            case STAR, SLASH, PERCENT -> P_FACTOR;
            case IDENT -> t.text().equals("in") ? P_IN : -1;
            default -> -1;
        };
    }

    private Term climb(Term lhs, int minPrec) {
        while (true) {
            Token op = peek();
            int prec = precedence(op);
            if (prec < 0 || prec < minPrec || !canContinue(op)) {
                return lhs;
            }
            p++;
            Term rhs = prec == P_ASSIGN ? memberOrExpr(prec + 1) : climb(unary(), prec + 1);
            lhs = new Term.Call(op.pos(), op.text(), List.of(lhs, rhs));
            if (prec == P_ASSIGN) {
                Token again = peek();
                if (precedence(again) == P_ASSIGN && canContinue(again)) {
                    throw fail(again.pos(), "unexpected `" + again.text() + "`: assignment and unification cannot be chained");
                }
            }
        }
    }

    private Term unary() {
        Token t = peek();
        if (t.is(Kind.MINUS)) {
            p++;
            Token n = peek();
            if (n.is(Kind.NUMBER)) {
                p++;
                return new Term.Num(t.pos(), "-" + n.text());
            }
            Term operand = unary();
            return new Term.Call(t.pos(), "-", List.of(new Term.Num(t.pos(), "0"), operand));
        }
        return primary();
    }

    private Term primary() {
        Token t = peek();
        switch (t.kind()) {
            case NUMBER -> {
                p++;
                return new Term.Num(t.pos(), t.text());
            }
            case STRING -> {
                p++;
                return new Term.Str(t.pos(), t.text());
            }
            case LBRACK -> {
                return postfix(array());
            }
            case LBRACE -> {
                return postfix(braced());
            }
            case LPAREN -> {
                p++;
                nlModes.push(false);
                Term inner = topExpr();
                expect(Kind.RPAREN);
                nlModes.pop();
                return postfix(inner);
            }
            case IDENT -> {
                if (keywordRef(t)) {
                    // a keyword leading a reference names a rule or package: `if.foo`, `true.bar`
                    p++;
                    return postfix(new Term.Var(t.pos(), t.text()));
                }
                p++;
                switch (t.text()) {
                    case "true":
                        return new Term.Bool(t.pos(), true);
                    case "false":
                        return new Term.Bool(t.pos(), false);
                    case "null":
                        return new Term.Null(t.pos());
                    case "_":
                        return postfix(wildcard(t.pos()));
                    case "set": {
                        Token l = peek();
                        if (l.is(Kind.LPAREN) && !l.spaceBefore() && toks.get(p + 1).is(Kind.RPAREN)) {
                            p += 2;
                            return new Term.SetLit(t.pos(), List.of());
                        }
                        break;
                    }
                    case "contains": {
                        Token l = peek();
                        if (l.is(Kind.LPAREN) && !l.spaceBefore()) {
                            return postfix(new Term.Var(t.pos(), "contains"));
                        }
                        throw fail(t.pos(), "unexpected keyword `contains`");
                    }
                    case "with":
                        throw unsupported(t.pos(), "unsupported: with keyword");
                    default:
                        if (Lexer.isKeyword(t.text())) {
                            throw fail(t.pos(), "unexpected keyword `" + t.text() + "`");
                        }
                }
                return postfix(new Term.Var(t.pos(), t.text()));
            }
            default -> {
                if (t.isWord("with")) {
                    throw unsupported(t.pos(), "unsupported: with keyword");
                }
                throw fail(t.pos(), "unexpected " + t.describe() + ", expected a term");
            }
        }
    }

    private Term.Var wildcard(Position pos) {
        return new Term.Var(pos, "$_" + (wildcards++));
    }

    /** Ref path elements, calls and call-result refs directly attached (no whitespace) to {@code head}. */
    private Term postfix(Term head) {
        List<Term> path = new ArrayList<>();
        boolean dottedOnly = true; // path so far consists only of .name elements
        while (true) {
            Token t = peek();
            if (t.spaceBefore()) {
                break;
            }
            if (t.is(Kind.DOT)) {
                p++;
                Token n = peek();
                if (!n.is(Kind.IDENT) || n.spaceBefore()) {
                    throw fail(n.pos(), "expected name after `.`, found " + n.describe());
                }
                p++;
                path.add(new Term.Str(n.pos(), n.text()));
            } else if (t.is(Kind.LBRACK)) {
                p++;
                nlModes.push(false);
                Token e = peek();
                if (e.is(Kind.RBRACK)) {
                    throw fail(e.pos(), "expected a term inside `[]`");
                }
                path.add(expr(P_IN));
                expect(Kind.RBRACK);
                nlModes.pop();
                dottedOnly = false;
            } else if (t.is(Kind.LPAREN)) {
                if (!(head instanceof Term.Var v) || v.isWildcard() || !dottedOnly) {
                    throw fail(t.pos(), "unexpected `(`: only named functions can be called");
                }
                StringBuilder name = new StringBuilder(v.name());
                for (Term s : path) {
                    name.append('.').append(((Term.Str) s).value());
                }
                List<Term> args = callArgs();
                head = new Term.Call(head.pos(), name.toString(), args);
                path = new ArrayList<>();
                dottedOnly = false;
            } else {
                break;
            }
        }
        return path.isEmpty() ? head : new Term.Ref(head.pos(), head, List.copyOf(path));
    }

    private List<Term> callArgs() {
        expect(Kind.LPAREN);
        nlModes.push(false);
        List<Term> args = new ArrayList<>();
        while (!peek().is(Kind.RPAREN)) {
            args.add(expr(P_IN));
            if (peek().is(Kind.COMMA)) {
                p++;
            } else if (!peek().is(Kind.RPAREN)) {
                throw fail(peek().pos(), "unexpected " + peek().describe() + ", expected `,` or `)`");
            }
        }
        p++;
        nlModes.pop();
        return List.copyOf(args);
    }

    private Term array() {
        Token open = next();
        nlModes.push(false);
        List<Term> items = new ArrayList<>();
        if (peek().is(Kind.RBRACK)) {
            p++;
            nlModes.pop();
            return new Term.Arr(open.pos(), List.of());
        }
        Term first = expr(P_AND);
        if (peek().is(Kind.PIPE)) {
            p++;
            Body body = comprehensionBody(Kind.RBRACK);
            expect(Kind.RBRACK);
            nlModes.pop();
            return new Term.ArrayCompr(open.pos(), first, body);
        }
        items.add(climb(first, P_IN));
        collectionRest(items, Kind.RBRACK);
        nlModes.pop();
        return new Term.Arr(open.pos(), List.copyOf(items));
    }

    /** After the first item: {@code , item}* {@code ,}? then the closing token (consumed). */
    private void collectionRest(List<Term> items, Kind close) {
        while (true) {
            Token t = peek();
            if (t.is(close)) {
                p++;
                return;
            }
            if (!t.is(Kind.COMMA)) {
                throw fail(t.pos(), "unexpected " + t.describe() + ", expected `,` or `" + close.display() + "`");
            }
            p++;
            if (peek().is(close)) {
                p++;
                return;
            }
            items.add(expr(P_IN));
        }
    }

    private Term braced() {
        Token open = next();
        nlModes.push(false);
        try {
            if (peek().is(Kind.RBRACE)) {
                p++;
                return new Term.Obj(open.pos(), List.of());
            }
            Term first = expr(P_AND);
            Token t = peek();
            if (t.is(Kind.PIPE)) {
                p++;
                Body body = comprehensionBody(Kind.RBRACE);
                expect(Kind.RBRACE);
                return new Term.SetCompr(open.pos(), first, body);
            }
            first = climb(first, P_IN);
            if (peek().is(Kind.COLON)) {
                p++;
                Term value = expr(P_AND);
                if (peek().is(Kind.PIPE)) {
                    p++;
                    Body body = comprehensionBody(Kind.RBRACE);
                    expect(Kind.RBRACE);
                    return new Term.ObjectCompr(open.pos(), first, value, body);
                }
                value = climb(value, P_IN);
                List<Term.Obj.Item> items = new ArrayList<>();
                items.add(new Term.Obj.Item(first, value));
                while (true) {
                    Token c = peek();
                    if (c.is(Kind.RBRACE)) {
                        p++;
                        break;
                    }
                    if (!c.is(Kind.COMMA)) {
                        throw fail(c.pos(), "unexpected " + c.describe() + ", expected `,` or `}`");
                    }
                    p++;
                    if (peek().is(Kind.RBRACE)) {
                        p++;
                        break;
                    }
                    Term k = expr(P_IN);
                    expect(Kind.COLON);
                    Term v = expr(P_IN);
                    items.add(new Term.Obj.Item(k, v));
                }
                return new Term.Obj(open.pos(), List.copyOf(items));
            }
            List<Term> items = new ArrayList<>();
            items.add(first);
            collectionRest(items, Kind.RBRACE);
            return new Term.SetLit(open.pos(), List.copyOf(items));
        } finally {
            nlModes.pop();
        }
    }

    private Body comprehensionBody(Kind close) {
        nlModes.push(true);
        Token first = peek();
        List<Literal> lits = literals(close);
        nlModes.pop();
        if (lits.isEmpty()) {
            throw fail(first.pos(), "empty comprehension body");
        }
        return new Body(lits.get(0).pos(), List.copyOf(lits));
    }

    // ------------------------------------------------------------------ token helpers

    private Token peek() {
        return toks.get(p);
    }

    private Token next() {
        Token t = toks.get(p);
        if (!t.is(Kind.EOF)) {
            p++;
        }
        return t;
    }

    private Token expect(Kind kind) {
        Token t = peek();
        if (!t.is(kind)) {
            if (t.isWord("with")) {
                throw unsupported(t.pos(), "unsupported: with keyword");
            }
            throw fail(t.pos(), "unexpected " + t.describe() + ", expected `" + kind.display() + "`");
        }
        p++;
        return t;
    }

    private Failure fail(Position pos, String message) {
        return new Failure(new Diagnostic(pos, PARSE_ERROR, message));
    }

    private Failure unsupported(Position pos, String message) {
        return new Failure(new Diagnostic(pos, UNSUPPORTED, message));
    }
}
