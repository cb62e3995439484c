package dev.portcullis.rego.check;

import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.syntax.Module;
import dev.portcullis.rego.syntax.Rule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tree of packages and rules under {@code data}. Rules of one name in one package form a
 * {@link RuleSet}; packages are inner nodes. Base documents are not known at compile time, so a
 * node also stands for whatever data.json may put at its path.
 */
public final class RuleTree {

    /** One definition of a rule, with the scope of the module it was written in. */
    public record Def(Rule rule, ModuleScope scope) {}

    /** All definitions of one rule (same package, same name). */
    public record RuleSet(List<String> path, Rule.Kind kind, List<Def> defs, Def defaultDef, int arity) {
        public boolean isFunction() {
            return kind == Rule.Kind.FUNCTION;
        }

        /**
         * Whether some definition writes below its first key ({@code p[x].q := v}) or adds to a
         * set at a key ({@code p[x] contains y}): such values are merged, not inserted.
         */
        public boolean deep() {
            return defs.stream().map(Def::rule).anyMatch(r -> r.keys().size() > 1 || r.kind() == Rule.Kind.PARTIAL_SET && r.hasKeys());
        }

        public String dotted() {
            return "data." + String.join(".", path);
        }
    }

    public static final class Node {
        private final List<String> path;
        private final Map<String, Node> children = new TreeMap<>();
        private RuleSet rules;
        private boolean isPackage;

        Node(List<String> path) {
            this.path = path;
        }

        public List<String> path() {
            return path;
        }

        public Map<String, Node> children() {
            return Collections.unmodifiableMap(children);
        }

        public RuleSet rules() {
            return rules;
        }

        public boolean isPackage() {
            return isPackage;
        }
    }

    private final Node root = new Node(List.of());

    public Node root() {
        return root;
    }

    /** The node at {@code path} or null. */
    public Node find(List<String> path) {
        Node n = root;
        for (String s : path) {
            n = n.children.get(s);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    public RuleSet ruleSet(List<String> path) {
        Node n = find(path);
        return n == null ? null : n.rules;
    }

    /** Every rule set, in path order. */
    public List<RuleSet> allRuleSets() {
        List<RuleSet> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Node n, List<RuleSet> out) {
        if (n.rules != null) {
            out.add(n.rules);
        }
        for (Node c : n.children.values()) {
            collect(c, out);
        }
    }

    /** Builds the tree, reporting conflicting rule kinds, arities and defaults into {@code diags}. */
    public static RuleTree build(List<Module> modules, List<Diagnostic> diags) {
        RuleTree tree = new RuleTree();
        Map<List<String>, List<Def>> byPath = new TreeMap<>(RuleTree::comparePaths);
        for (Module m : modules) {
            ModuleScope scope = ModuleScope.of(m);
            Node pkg = tree.ensure(scope.pkg());
            pkg.isPackage = true;
            for (Rule r : m.rules()) {
                List<String> path = new ArrayList<>(scope.pkg());
                path.addAll(r.path());
                byPath.computeIfAbsent(List.copyOf(path), k -> new ArrayList<>()).add(new Def(r, scope));
            }
        }
        for (Map.Entry<List<String>, List<Def>> e : byPath.entrySet()) {
            RuleSet rs = ruleSet(e.getKey(), e.getValue(), diags);
            if (rs == null) {
                continue;
            }
            tree.ensure(e.getKey()).rules = rs;
        }
        tree.checkOverlaps(tree.root, diags);
        return tree;
    }

    /**
     * Rules below another rule's path extend its value, which only an object-building rule
     * ({@code p[x] := v}, {@code p[x].q := v}) can have; below any other rule they conflict.
     */
    private void checkOverlaps(Node n, List<Diagnostic> diags) {
        if (n.rules != null && n.rules.kind() != Rule.Kind.PARTIAL_OBJECT && (n.isPackage || !n.children.isEmpty())) {
            Def first = n.rules.defs().isEmpty() ? n.rules.defaultDef() : n.rules.defs().get(0);
            diags.add(new Diagnostic(first.rule().pos(), "rego_type_error", "rule " + n.rules.dotted()
                    + (n.isPackage ? " conflicts with a package of the same path" : " conflicts with a package or rules below its path")));
            n.rules = null;
        }
        for (Node c : n.children.values()) {
            checkOverlaps(c, diags);
        }
    }

    private static RuleSet ruleSet(List<String> path, List<Def> defs, List<Diagnostic> diags) {
        Def dflt = null;
        Rule.Kind kind = null;
        int arity = -1;
        List<Def> bodies = new ArrayList<>();
        String dotted = "data." + String.join(".", path);
        for (Def d : defs) {
            Rule r = d.rule();
            if (r.kind() == Rule.Kind.DEFAULT) {
                if (dflt != null) {
                    diags.add(new Diagnostic(r.pos(), "rego_type_error", "multiple default rules " + dotted + " found"));
                }
                dflt = d;
                continue;
            }
            Rule.Kind rk = r.kind() == Rule.Kind.PARTIAL_SET && r.hasKeys() ? Rule.Kind.PARTIAL_OBJECT : r.kind();
            if (kind == null) {
                kind = rk;
                arity = r.kind() == Rule.Kind.FUNCTION ? r.args().size() : 0;
            } else if (kind != rk) {
                diags.add(new Diagnostic(r.pos(), "rego_type_error",
                        "conflicting rules " + dotted + " found: " + describe(kind) + " and " + describe(rk)));
                continue;
            } else if (kind == Rule.Kind.FUNCTION && r.args().size() != arity) {
                diags.add(new Diagnostic(r.pos(), "rego_type_error",
                        "function " + dotted + " redeclared with " + r.args().size() + " arguments (was " + arity + ")"));
                continue;
            }
            bodies.add(d);
        }
        if (kind == null) {
            kind = dflt != null && dflt.rule().args() != null && !dflt.rule().args().isEmpty()
                    ? Rule.Kind.FUNCTION : Rule.Kind.COMPLETE;
            arity = kind == Rule.Kind.FUNCTION ? dflt.rule().args().size() : 0;
        }
        if (dflt != null) {
            int dArity = dflt.rule().args() == null ? 0 : dflt.rule().args().size();
            boolean dFunction = dArity > 0;
            if (dFunction != (kind == Rule.Kind.FUNCTION) || dFunction && dArity != arity) {
                diags.add(new Diagnostic(dflt.rule().pos(), "rego_type_error", "default rule " + dotted
                        + (dFunction ? " has " + dArity + " arguments" : " has no arguments") + " but the "
                        + describe(kind) + (kind == Rule.Kind.FUNCTION ? " takes " + arity : "") + ""));
                dflt = null;
            }
        }
        if (dflt != null && kind != Rule.Kind.COMPLETE && kind != Rule.Kind.FUNCTION) {
            diags.add(new Diagnostic(dflt.rule().pos(), "rego_type_error",
                    "default rule " + dotted + " must be a complete rule or function, not a " + describe(kind)));
            dflt = null;
        }
        return new RuleSet(path, kind, List.copyOf(bodies), dflt, arity);
    }

    static String describe(Rule.Kind k) {
        return switch (k) {
            case COMPLETE, DEFAULT -> "complete rule";
            case PARTIAL_SET -> "partial set rule";
            case PARTIAL_OBJECT -> "partial object rule";
            case FUNCTION -> "function";
        };
    }

    private Node ensure(List<String> path) {
        Node n = root;
        List<String> sofar = new ArrayList<>();
        for (String s : path) {
            sofar.add(s);
            List<String> p = List.copyOf(sofar);
            n = n.children.computeIfAbsent(s, k -> new Node(p));
        }
        return n;
    }

    static int comparePaths(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
