package dev.portcullis.rego.check;

import dev.portcullis.rego.builtins.BuiltinDecl;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.builtins.Impl;
import dev.portcullis.rego.builtins.Type;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.syntax.Term;
import java.util.ArrayList;
import java.util.List;

/**
 * What names mean inside a module: {@code input}, {@code data}, import aliases and the package's
 * own rules are global; calls resolve to a user function or a builtin, with arity and literal
 * argument types checked.
 */
public final class Names {

    /** A resolved call: exactly one of a user function or a builtin. */
    public record Callee(RuleTree.RuleSet function, BuiltinDecl builtin) {}

    private final RuleTree tree;

    public Names(RuleTree tree) {
        this.tree = tree;
    }

    /** Whether a bare name refers to something other than a local variable. */
    public boolean isGlobal(ModuleScope scope, String name) {
        return name.equals("input") || name.equals("data") || scope.aliases().containsKey(name)
                || packageChild(scope, name) != null;
    }

    /** The node {@code name} directly under the module's package (a rule or a rule head's first segment), or null. */
    private RuleTree.Node packageChild(ModuleScope scope, String name) {
        RuleTree.Node pkg = tree.find(scope.pkg());
        return pkg == null ? null : pkg.children().get(name);
    }

    /** The rule (or function) {@code name} of the module's own package, or null. */
    public RuleTree.RuleSet packageRule(ModuleScope scope, String name) {
        RuleTree.Node pkg = tree.find(scope.pkg());
        if (pkg == null) {
            return null;
        }
        RuleTree.Node n = pkg.children().get(name);
        return n == null ? null : n.rules();
    }

    /** The data path a call name refers to when it names a user function (or null for builtins). */
    public List<String> userFunctionPath(ModuleScope scope, String name) {
        String[] parts = name.split("\\.");
        if (parts[0].equals("data")) {
            return List.of(parts).subList(1, parts.length);
        }
        List<String> alias = scope.aliases().get(parts[0]);
        if (alias != null && alias.get(0).equals("data")) {
            List<String> p = new ArrayList<>(alias.subList(1, alias.size()));
            p.addAll(List.of(parts).subList(1, parts.length));
            return p;
        }
        if (parts.length == 1 && packageRule(scope, name) != null
                || parts.length > 1 && packageChild(scope, parts[0]) != null) {
            List<String> p = new ArrayList<>(scope.pkg());
            p.addAll(List.of(parts));
            if (parts.length == 1 || tree.ruleSet(p) != null) {
                return p;
            }
        }
        return null;
    }

    /** Arity of the user function or builtin {@code name}; -1 if there is none. */
    public int arity(ModuleScope scope, String name) {
        List<String> path = userFunctionPath(scope, name);
        if (path != null) {
            RuleTree.RuleSet rs = tree.ruleSet(path);
            return rs != null && rs.isFunction() ? rs.arity() : -1;
        }
        return BuiltinTable.lookup(name)
                .filter(b -> !b.has(BuiltinDecl.Flag.DEPRECATED) && !b.has(BuiltinDecl.Flag.VARIADIC))
                .map(BuiltinDecl::arity).orElse(-1);
    }

    /**
     * Resolves a call made with exactly its function's arity.
     *
     * @throws CompileException rego_type_error for unknown functions, rules called as functions and
     *     arity mismatches; unsupported for OPA builtins Portcullis does not compile
     */
    public Callee resolveCall(ModuleScope scope, Term.Call c) {
        String name = c.name();
        List<String> path = userFunctionPath(scope, name);
        if (path != null) {
            RuleTree.RuleSet rs = tree.ruleSet(path);
            if (rs == null) {
                throw error(c, "rego_type_error", "undefined function " + name);
            }
            if (!rs.isFunction()) {
                throw error(c, "rego_type_error", rs.dotted() + " is a rule, not a function");
            }
            if (rs.arity() != c.args().size()) {
                throw error(c, "rego_type_error", name + ": arity mismatch: " + c.args().size()
                        + " arguments given, function has " + rs.arity());
            }
            return new Callee(rs, null);
        }
        BuiltinDecl b = BuiltinTable.lookup(name).orElse(null);
        if (b == null || b.has(BuiltinDecl.Flag.DEPRECATED)) {
            // OPA 1.x removed the deprecated builtins from Rego v1: they are unknown names there
            throw error(c, "rego_type_error", "undefined function " + name);
        }
        if (b.impl() instanceof Impl.NotYetImplemented || b.impl() instanceof Impl.Planner) {
            throw error(c, "unsupported", "unsupported builtin " + name);
        }
        if (!b.has(BuiltinDecl.Flag.VARIADIC) && b.arity() != c.args().size()) {
            throw error(c, "rego_type_error", name + ": arity mismatch: " + c.args().size() + " arguments given, "
                    + b.arity() + " expected");
        }
        return new Callee(null, b);
    }

    private static CompileException error(Term.Call c, String code, String message) {
        return new CompileException(new Diagnostic(c.pos(), code, message));
    }

    /** The static part of Rego's type check: literal arguments of the wrong type are compile errors. */
    public static void checkArgumentTypes(Term.Call c) {
        BuiltinDecl b = BuiltinTable.forCall(c.name()).orElse(null);
        if (b == null) {
            return;
        }
        for (int i = 0; i < c.args().size(); i++) {
            Type want = b.arg(i);
            String got = literalType(c.args().get(i));
            if (got != null && !want.accepts(got)) {
                throw new CompileException(new Diagnostic(c.args().get(i).pos(), "rego_type_error",
                        c.name() + ": invalid argument " + (i + 1) + ": got " + got + ", want " + want));
            }
        }
    }

    /** Rego type name of a term whose type is evident from its syntax, else null. */
    static String literalType(Term t) {
        if (t instanceof Term.Null) {
            return "null";
        } else if (t instanceof Term.Bool) {
            return "boolean";
        } else if (t instanceof Term.Num) {
            return "number";
        } else if (t instanceof Term.Str) {
            return "string";
        } else if (t instanceof Term.Arr || t instanceof Term.ArrayCompr) {
            return "array";
        } else if (t instanceof Term.Obj || t instanceof Term.ObjectCompr) {
            return "object";
        } else if (t instanceof Term.SetLit || t instanceof Term.SetCompr) {
            return "set";
        }
        return null;
    }
}
