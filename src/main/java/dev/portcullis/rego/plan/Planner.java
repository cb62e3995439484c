package dev.portcullis.rego.plan;

import dev.portcullis.rego.builtins.BuiltinDecl;
import dev.portcullis.rego.builtins.BuiltinTable;
import dev.portcullis.rego.check.ModuleScope;
import dev.portcullis.rego.check.Names;
import dev.portcullis.rego.check.RuleTree;
import dev.portcullis.rego.check.Safety;
import dev.portcullis.rego.check.Vars;
import dev.portcullis.rego.diag.CompileException;
import dev.portcullis.rego.diag.Diagnostic;
import dev.portcullis.rego.diag.Position;
import dev.portcullis.rego.syntax.Body;
import dev.portcullis.rego.syntax.Literal;
import dev.portcullis.rego.syntax.Rule;
import dev.portcullis.rego.syntax.Term;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

/**
 * Lowers checked rules to {@link Ir}. Planning is continuation-passing: evaluating a term that
 * iterates ({@code xs[i]}) opens a {@link Ir.Scan} and plans the rest of the body inside it, so
 * backtracking becomes plain nested loops. Literals are first ordered so that every variable is
 * bound before it is used (Rego's safety rule); what cannot be ordered is reported as unsafe.
 */
public final class Planner {

    /** Locals every function starts with. */
    static final int INPUT = 0;
    static final int DATA = 1;

    private static final Set<Ir.Type> COLLECTIONS = Set.of(Ir.Type.ARRAY, Ir.Type.OBJECT, Ir.Type.SET);

    private final RuleTree tree;
    private final Names names;
    private final List<Diagnostic> diags;
    private final Map<String, Ir.Func> funcs = new LinkedHashMap<>();
    private final Map<String, Position> funcPos = new HashMap<>();
    private final Deque<List<String>> pendingDocs = new ArrayDeque<>();
    private final Deque<List<String>> pendingTrees = new ArrayDeque<>();
    private final Set<String> requestedDocs = new HashSet<>();
    private final Set<String> hostBuiltins = new TreeSet<>();
    /** Instrument for {@code test --coverage} (see {@link CoverageHook}); false in every other build. */
    private final boolean coverage;

    private Planner(RuleTree tree, List<Diagnostic> diags, boolean coverage) {
        this.tree = tree;
        this.names = new Names(tree);
        this.diags = diags;
        this.coverage = coverage;
        if (coverage) {
            hostBuiltins.add(CoverageHook.BUILTIN);
        }
    }

    /**
     * Plans every rule of {@code tree} (so that every error is reported) and the given
     * slash-separated entrypoints.
     *
     * @param diags diagnostics already found by earlier stages; planning adds to them
     * @throws CompileException if any diagnostic exists afterwards
     */
    public static Ir.Program plan(RuleTree tree, List<String> entrypoints, List<Diagnostic> diags) {
        return plan(tree, entrypoints, diags, false);
    }

    /** As {@link #plan(RuleTree, List, List)}; {@code coverage} adds {@link CoverageHook} hits. */
    public static Ir.Program plan(RuleTree tree, List<String> entrypoints, List<Diagnostic> diags, boolean coverage) {
        Planner p = new Planner(tree, diags, coverage);
        for (RuleTree.RuleSet rs : tree.allRuleSets()) {
            p.planRuleSet(rs);
        }
        List<Ir.Entrypoint> eps = new ArrayList<>();
        for (String ep : entrypoints) {
            List<String> path = ep.isEmpty() ? List.of() : List.of(ep.split("/"));
            RuleTree.RuleSet rs = tree.ruleSet(path);
            if (rs != null && rs.isFunction()) {
                diags.add(new Diagnostic(new Position("<entrypoint>", 1, 1), "rego_compile_error",
                        "entrypoint " + ep + " is a function; entrypoints must be rules or packages"));
                continue;
            }
            boolean alone = rs != null && tree.find(path).children().isEmpty() && !p.ruleAbove(path);
            eps.add(new Ir.Entrypoint(ep, alone ? ruleFuncName(rs.path()) : p.requireDoc(path)));
        }
        p.drainDocs();
        p.checkRecursion();
        if (!diags.isEmpty()) {
            throw new CompileException(diags);
        }
        return new Ir.Program(p.reachable(eps), eps, List.copyOf(p.hostBuiltins));
    }

    /** Whether a rule above path ({@code p[x].q := v} above {@code p.a.q}) contributes to its document. */
    private boolean ruleAbove(List<String> path) {
        for (int i = 0; i < path.size(); i++) {
            if (tree.ruleSet(path.subList(0, i)) != null) {
                return true;
            }
        }
        return false;
    }

    static String ruleFuncName(List<String> path) {
        return "data." + String.join(".", path);
    }

    static String docFuncName(List<String> path) {
        return "doc:data" + (path.isEmpty() ? "" : "." + String.join(".", path));
    }

    // ---------------------------------------------------------------- rules

    /** Per-definition planning context. */
    private final class Ctx {
        final FuncBuilder fb;
        final ModuleScope scope;
        /** The local holding input: the parameter, or a replacement made by {@code with input as}. */
        final int input;

        Ctx(FuncBuilder fb, ModuleScope scope) {
            this(fb, scope, INPUT);
        }

        private Ctx(FuncBuilder fb, ModuleScope scope, int input) {
            this.fb = fb;
            this.scope = scope;
            this.input = input;
        }

        Ctx withInput(int local) {
            return new Ctx(fb, scope, local);
        }
    }

    private void planRuleSet(RuleTree.RuleSet rs) {
        String name = ruleFuncName(rs.path());
        int params = 2 + (rs.isFunction() ? rs.arity() : 0);
        FuncBuilder fb = new FuncBuilder(name, params);
        int result = fb.newLocal();
        Position first = !rs.defs().isEmpty() ? rs.defs().get(0).rule().pos() : rs.defaultDef().rule().pos();
        funcPos.put(name, first);
        int before = diags.size();
        if (!rs.isFunction()) {
            // A base document where a rule is defined: OPA refuses such data ("conflicting rule
            // for data path"); the data arrives after compilation, so the conflict is found here.
            String msg = conflictMessage(first, "base document and rule at the same path", rs.dotted());
            fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
                dots(fb, DATA, rs.path());
                fb.emit(new Ir.Abort(msg));
            }))));
        }
        switch (rs.kind()) {
            case PARTIAL_SET -> fb.emit(new Ir.Make(Ir.Collection.SET, result));
            case PARTIAL_OBJECT -> fb.emit(new Ir.Make(Ir.Collection.OBJECT, result));
            default -> { }
        }
        for (RuleTree.Def def : rs.defs()) {
            Ctx ctx = new Ctx(fb, def.scope());
            try {
                Ir.Block b = fb.block(() -> planDefinition(ctx, rs, def.rule(), result));
                fb.emit(new Ir.Blocks(List.of(b)));
            } catch (CompileException e) {
                diags.addAll(e.diagnostics());
            }
        }
        if (rs.defaultDef() != null) {
            Rule d = rs.defaultDef().rule();
            Ctx ctx = new Ctx(fb, rs.defaultDef().scope());
            try {
                Ir.Block b = fb.block(() -> {
                    fb.emit(new Ir.Defined(result, false));
                    covered(fb, d.pos());
                    Env env = new Env(null);
                    planTerm(ctx, d.value(), env, v -> fb.emit(new Ir.Assign(v, result)));
                });
                fb.emit(new Ir.Blocks(List.of(b)));
            } catch (CompileException e) {
                diags.addAll(e.diagnostics());
            }
        }
        if (diags.size() == before) {
            funcs.put(name, fb.build(result, !rs.isFunction()));
        }
    }

    private void planDefinition(Ctx ctx, RuleTree.RuleSet rs, Rule rule, int result) {
        FuncBuilder fb = ctx.fb;
        Env env = new Env(null);
        if (rs.deep()) {
            planDeepDefinition(ctx, rs, rule, env, result);
            return;
        }
        switch (rs.kind()) {
            case PARTIAL_SET -> planBody(ctx, rule.body(), env, () -> {
                covered(fb, rule.pos());
                planTerm(ctx, rule.key(), env, v -> fb.emit(new Ir.SetAdd(result, v)));
            });
            case PARTIAL_OBJECT -> {
                String msg = conflictMessage(rule.pos(), "object keys must be unique", rs.dotted());
                planBody(ctx, rule.body(), env, () -> {
                    covered(fb, rule.pos());
                    planTerm(ctx, rule.key(), env,
                            k -> planValue(ctx, rule.value(), env, v -> fb.emit(new Ir.ObjectInsert(result, k, v, msg))));
                });
            }
            case FUNCTION -> {
                String msg = conflictMessage(rule.pos(), "functions must not produce multiple outputs for same inputs", rs.dotted());
                List<Term> args = rule.args();
                Set<Term.Var> argVars = new LinkedHashSet<>();
                args.forEach(a -> patternVars(a, argVars));
                argVars.forEach(v -> env.declare(v.name()));
                bindArgs(ctx, args, 0, env, () -> planClauses(ctx, rule, env, result, msg));
            }
            default -> {
                String msg = conflictMessage(rule.pos(), "complete rules must not produce multiple outputs", rs.dotted());
                planClauses(ctx, rule, env, result, msg);
            }
        }
    }

    /**
     * A definition of an object-building rule whose head reaches below its first key
     * ({@code p[x].q := v}, {@code p[x] contains y}): each solution's value, nested under the
     * remaining keys, is merged into the object at the first key, so that definitions at
     * different depths combine and disagreeing leaves are a conflict, as in OPA.
     */
    private void planDeepDefinition(Ctx ctx, RuleTree.RuleSet rs, Rule rule, Env env, int result) {
        FuncBuilder fb = ctx.fb;
        boolean setLeaf = rule.kind() == Rule.Kind.PARTIAL_SET;
        planBody(ctx, rule.body(), env, () -> {
            covered(fb, rule.pos());
            planTerms(ctx, rule.keys(), 0, new ArrayList<>(), env, keys -> {
                IntConsumer insert = leaf -> {
                    int sub = leaf;
                    for (int j = keys.size() - 1; j >= 1; j--) {
                        int o = fb.newLocal();
                        fb.emit(new Ir.Make(Ir.Collection.OBJECT, o));
                        fb.emit(new Ir.ObjectInsert(o, keys.get(j), sub, null));
                        sub = o;
                    }
                    mergeInto(fb, result, keys.get(0), sub, setLeaf, minKeys(rs) - 1);
                };
                if (setLeaf) {
                    planTerm(ctx, rule.key(), env, elem -> {
                        int set = fb.newLocal();
                        fb.emit(new Ir.Make(Ir.Collection.SET, set));
                        fb.emit(new Ir.SetAdd(set, elem));
                        insert.accept(set);
                    });
                } else {
                    planValue(ctx, rule.value(), env, insert);
                }
            });
        });
    }

    /** The fewest keys any definition of an object-building rule set writes below its path. */
    private static int minKeys(RuleTree.RuleSet rs) {
        return rs.defs().stream().mapToInt(d -> d.rule().keys().size()).min().orElse(1);
    }

    /**
     * How many levels of a node's document are certainly made by rule heads and the rule tree
     * (objects that merge), above any rule's value (a leaf, which other rules must not write
     * into). Rules above the node are not counted.
     */
    private static int structuralDepth(RuleTree.Node n) {
        int below = Integer.MAX_VALUE;
        for (RuleTree.Node c : n.children().values()) {
            if (c.rules() == null || !c.rules().isFunction()) {
                below = Math.min(below, 1 + structuralDepth(c));
            }
        }
        if (n.rules() == null) {
            return below == Integer.MAX_VALUE ? 0 : below;
        }
        if (n.rules().kind() != Rule.Kind.PARTIAL_OBJECT) {
            return 0;
        }
        return Math.min(minKeys(n.rules()), below);
    }

    /** Whether every leaf of a node's document is a multi-value set (which merge by union). */
    private static boolean setLeaves(RuleTree.Node n) {
        if (n.rules() != null && !n.rules().defs().stream().allMatch(d -> d.rule().kind() == Rule.Kind.PARTIAL_SET)) {
            return false;
        }
        return n.children().values().stream().allMatch(c -> c.rules() != null && c.rules().isFunction() || setLeaves(c));
    }

    /** obj[key] = value, merged with what obj[key] already holds (see {@link #mergeFunc}). */
    private void mergeInto(FuncBuilder fb, int obj, int key, int value, boolean unionSets, int depth) {
        int existing = fb.newLocal();
        fb.emit(new Ir.Reset(existing));
        fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
            int e = fb.newLocal();
            fb.emit(new Ir.Dot(obj, key, e));
            fb.emit(new Ir.Assign(e, existing));
        }))));
        fb.emit(new Ir.Blocks(List.of(
                fb.block(() -> {
                    fb.emit(new Ir.Defined(existing, true));
                    int flag = constant(fb, new Ir.BoolConst(unionSets));
                    int levels = constant(fb, new Ir.IntConst(Math.max(0, depth)));
                    int merged = fb.newLocal();
                    fb.emit(new Ir.Call(mergeFunc(), List.of(INPUT, DATA, existing, value, flag, levels), merged));
                    fb.emit(new Ir.ObjectInsert(obj, key, merged, null));
                }),
                fb.block(() -> {
                    fb.emit(new Ir.Defined(existing, false));
                    fb.emit(new Ir.ObjectInsert(obj, key, value, null));
                }))));
    }

    static final String MERGE = "pc:merge";

    /**
     * The helper {@code merge(a, b, unionSets, levels)}: for the first {@code levels} levels
     * (objects made by rule heads) objects merge key by key; below them values are leaves: equal
     * leaves stay, two multi-value sets ({@code unionSets}) are united, and anything else is a
     * conflict, as OPA reports when one rule writes into another rule's value. It builds new
     * objects and never changes its arguments, which may be shared.
     */
    private String mergeFunc() {
        if (funcs.containsKey(MERGE)) {
            return MERGE;
        }
        FuncBuilder fb = new FuncBuilder(MERGE, 6);
        int a = 2;
        int b = 3;
        int union = 4;
        int levels = 5;
        int r = fb.newLocal();
        String msg = "eval_conflict_error: object keys must be unique";
        fb.emit(new Ir.Reset(r));
        List<Ir.Block> cases = new ArrayList<>();
        cases.add(fb.block(() -> {
            fb.emit(new Ir.Compare(Ir.Cmp.GT, levels, constant(fb, new Ir.IntConst(0)), -1));
            fb.emit(new Ir.TypeIn(a, Set.of(Ir.Type.OBJECT)));
            fb.emit(new Ir.TypeIn(b, Set.of(Ir.Type.OBJECT)));
            int below = fb.newLocal();
            fb.emit(new Ir.Call(Ir.builtin(ARITH.get("-").name()), List.of(levels, constant(fb, new Ir.IntConst(1))), below));
            int out = fb.newLocal();
            fb.emit(new Ir.Make(Ir.Collection.OBJECT, out));
            int k = fb.newLocal();
            int v = fb.newLocal();
            fb.emit(new Ir.Scan(a, k, v, fb.block(() -> fb.emit(new Ir.ObjectInsert(out, k, v, null)))));
            int k2 = fb.newLocal();
            int v2 = fb.newLocal();
            fb.emit(new Ir.Scan(b, k2, v2, fb.block(() -> {
                int av = fb.newLocal();
                fb.emit(new Ir.Reset(av));
                fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
                    int t = fb.newLocal();
                    fb.emit(new Ir.Dot(a, k2, t));
                    fb.emit(new Ir.Assign(t, av));
                }))));
                fb.emit(new Ir.Blocks(List.of(
                        fb.block(() -> {
                            fb.emit(new Ir.Defined(av, true));
                            int m = fb.newLocal();
                            fb.emit(new Ir.Call(MERGE, List.of(INPUT, DATA, av, v2, union, below), m));
                            fb.emit(new Ir.ObjectInsert(out, k2, m, null));
                        }),
                        fb.block(() -> {
                            fb.emit(new Ir.Defined(av, false));
                            fb.emit(new Ir.ObjectInsert(out, k2, v2, null));
                        }))));
            })));
            fb.emit(new Ir.Assign(out, r));
        }));
        cases.add(fb.block(() -> {
            fb.emit(new Ir.Defined(r, false));
            fb.emit(new Ir.Compare(Ir.Cmp.EQ, union, constant(fb, new Ir.BoolConst(true)), -1));
            fb.emit(new Ir.TypeIn(a, Set.of(Ir.Type.SET)));
            fb.emit(new Ir.TypeIn(b, Set.of(Ir.Type.SET)));
            int out = fb.newLocal();
            fb.emit(new Ir.Make(Ir.Collection.SET, out));
            int k = fb.newLocal();
            int v = fb.newLocal();
            fb.emit(new Ir.Scan(a, k, v, fb.block(() -> fb.emit(new Ir.SetAdd(out, v)))));
            int k2 = fb.newLocal();
            int v2 = fb.newLocal();
            fb.emit(new Ir.Scan(b, k2, v2, fb.block(() -> fb.emit(new Ir.SetAdd(out, v2)))));
            fb.emit(new Ir.Assign(out, r));
        }));
        cases.add(fb.block(() -> {
            fb.emit(new Ir.Defined(r, false));
            fb.emit(new Ir.Compare(Ir.Cmp.EQ, a, b, -1));
            fb.emit(new Ir.Assign(a, r));
        }));
        cases.add(fb.block(() -> {
            fb.emit(new Ir.Defined(r, false));
            fb.emit(new Ir.Abort(msg));
        }));
        fb.emit(new Ir.Blocks(cases));
        funcs.put(MERGE, fb.build(r, false));
        return MERGE;
    }

    private void bindArgs(Ctx ctx, List<Term> args, int i, Env env, Runnable next) {
        if (i == args.size()) {
            next.run();
            return;
        }
        unify(ctx, args.get(i), 2 + i, env, () -> bindArgs(ctx, args, i + 1, env, next));
    }

    /** A rule's main clause and its else chain: the first clause with a solution gives the value. */
    private void planClauses(Ctx ctx, Rule rule, Env env, int result, String msg) {
        FuncBuilder fb = ctx.fb;
        if (rule.elses().isEmpty()) {
            planBody(ctx, rule.body(), env.child(), () -> {}, e -> {
                covered(fb, rule.pos());
                planValue(ctx, rule.value(), e, v -> fb.emit(new Ir.AssignOnce(v, result, msg)));
            });
            return;
        }
        int chosen = fb.newLocal();
        fb.emit(new Ir.Reset(chosen));
        List<Term> values = new ArrayList<>();
        List<Body> bodies = new ArrayList<>();
        values.add(rule.value());
        bodies.add(rule.body());
        for (Rule.Else e : rule.elses()) {
            values.add(e.value());
            bodies.add(e.body());
        }
        List<Ir.Block> blocks = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            int idx = i;
            blocks.add(fb.block(() -> {
                if (idx > 0) {
                    fb.emit(new Ir.Defined(chosen, false));
                }
                planBody(ctx, bodies.get(idx), env.child(), () -> {}, e -> {
                    covered(fb, idx == 0 ? rule.pos() : rule.elses().get(idx - 1).pos());
                    planValue(ctx, values.get(idx), e, v -> fb.emit(new Ir.AssignOnce(v, chosen, msg)));
                });
            }));
        }
        blocks.add(fb.block(() -> {
            fb.emit(new Ir.Defined(chosen, true));
            fb.emit(new Ir.AssignOnce(chosen, result, msg));
        }));
        fb.emit(new Ir.Blocks(blocks));
    }

    /** A coverage hit of pos's line, in coverage builds only. */
    private void covered(FuncBuilder fb, Position pos) {
        if (coverage) {
            CoverageHook.hit(fb, pos);
        }
    }

    private void planValue(Ctx ctx, Term value, Env env, IntConsumer k) {
        if (value == null) {
            int t = ctx.fb.newLocal();
            ctx.fb.emit(new Ir.Const(new Ir.BoolConst(true), t));
            k.accept(t);
        } else {
            planTerm(ctx, value, env, k);
        }
    }

    private static String conflictMessage(Position pos, String what, String rule) {
        return pos + ": eval_conflict_error: " + what + " (" + rule + ")";
    }

    // ---------------------------------------------------------------- documents under data

    /** Name of the function computing the (virtual + base) document at path; planned later. */
    private String requireDoc(List<String> path) {
        String name = docFuncName(path);
        if (requestedDocs.add(name)) {
            pendingDocs.add(List.copyOf(path));
        }
        return name;
    }

    private void drainDocs() {
        while (!pendingDocs.isEmpty() || !pendingTrees.isEmpty()) {
            if (!pendingDocs.isEmpty()) {
                planDoc(pendingDocs.poll());
            } else {
                List<String> t = pendingTrees.poll();
                planTree(t, treeFuncName(t));
            }
        }
    }

    /**
     * The document at path. Along the path, rules with rules below them ({@code p[x].q := v}
     * next to {@code p.a.r := 1}) contribute the part of their value under the rest of the path;
     * where the path ends at a node, that node's own document (see {@link #planTree}) is the base;
     * a path that leaves the rule tree reads a rule's value or base data.
     */
    private void planDoc(List<String> path) {
        String name = docFuncName(path);
        FuncBuilder fb = new FuncBuilder(name, 2);
        int result = fb.newLocal();
        RuleTree.Node node = tree.root();
        List<RuleTree.Node> ancestors = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        int i = 0;
        while (i < path.size()) {
            if (node.rules() != null) {
                if (node.children().isEmpty()) {
                    break;
                }
                ancestors.add(node);
                depths.add(i);
            }
            RuleTree.Node child = node.children().get(path.get(i));
            if (child == null) {
                break;
            }
            node = child;
            i++;
        }
        fb.emit(new Ir.Reset(result));
        if (node.rules() != null && node.rules().isFunction()) {
            fb.emit(new Ir.Const(new Ir.NullConst(), result));
            fb.emit(new Ir.Reset(result));
        } else if (node.rules() != null && node.children().isEmpty()) {
            int from = i;
            RuleTree.Node n = node;
            fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
                int v = fb.newLocal();
                fb.emit(new Ir.Call(ruleFuncName(n.rules().path()), List.of(INPUT, DATA), v));
                fb.emit(new Ir.Assign(dots(fb, v, path.subList(from, path.size())), result));
            }))));
        } else if (i < path.size() || node.children().isEmpty() && !node.isPackage() && node.rules() == null) {
            fb.emit(new Ir.Blocks(List.of(fb.block(() -> fb.emit(new Ir.Assign(dots(fb, DATA, path), result))))));
        } else if (ancestors.isEmpty()) {
            // nothing above contributes: the document is the node's own
            planTree(node.path(), name);
            return;
        } else {
            String fn = requireTree(node.path());
            fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
                int v = fb.newLocal();
                fb.emit(new Ir.Call(fn, List.of(INPUT, DATA), v));
                fb.emit(new Ir.Assign(v, result));
            }))));
        }
        boolean inTree = i == path.size();
        boolean leafIsSet = inTree && setLeaves(node);
        int nodeDepth = inTree ? structuralDepth(node) : 0;
        for (int a = 0; a < ancestors.size(); a++) {
            RuleTree.RuleSet rs = ancestors.get(a).rules();
            List<String> rest = path.subList(depths.get(a), path.size());
            boolean union = leafIsSet && rs.defs().stream().allMatch(d -> d.rule().kind() == Rule.Kind.PARTIAL_SET);
            int depth = Math.min(nodeDepth, minKeys(rs) - rest.size());
            fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
                int v = fb.newLocal();
                fb.emit(new Ir.Call(ruleFuncName(rs.path()), List.of(INPUT, DATA), v));
                int part = dots(fb, v, rest);
                mergeLocal(fb, result, part, union, depth);
            }))));
        }
        funcs.put(name, fb.build(result, true));
    }

    /** target = part when target is undefined, else target merged with part. */
    private void mergeLocal(FuncBuilder fb, int target, int part, boolean unionSets, int depth) {
        fb.emit(new Ir.Blocks(List.of(
                fb.block(() -> {
                    fb.emit(new Ir.Defined(target, true));
                    int flag = constant(fb, new Ir.BoolConst(unionSets));
                    int levels = constant(fb, new Ir.IntConst(Math.max(0, depth)));
                    int merged = fb.newLocal();
                    fb.emit(new Ir.Call(mergeFunc(), List.of(INPUT, DATA, target, part, flag, levels), merged));
                    fb.emit(new Ir.Assign(merged, target));
                }),
                fb.block(() -> {
                    fb.emit(new Ir.Defined(target, false));
                    fb.emit(new Ir.Assign(part, target));
                }))));
    }

    static String treeFuncName(List<String> path) {
        return "tree:data" + (path.isEmpty() ? "" : "." + String.join(".", path));
    }

    private String requireTree(List<String> path) {
        String name = treeFuncName(path);
        if (requestedDocs.add(name)) {
            pendingTrees.add(List.copyOf(path));
        }
        return name;
    }

    /**
     * A node's own document, from the rules at and below it (rules above it are
     * {@link #planDoc}'s concern): a rule's value merged with the documents of the rules below
     * it, or, for a package or an inner node of rule heads, base data overlaid with its children.
     */
    private void planTree(List<String> path, String name) {
        FuncBuilder fb = new FuncBuilder(name, 2);
        int result = fb.newLocal();
        RuleTree.Node node = tree.find(path);
        if (node.rules() != null) {
            // a copy: the rule's own value is cached and may be read elsewhere
            int own = fb.newLocal();
            fb.emit(new Ir.Call(ruleFuncName(node.rules().path()), List.of(INPUT, DATA), own));
            fb.emit(new Ir.Make(Ir.Collection.OBJECT, result));
            int ok = fb.newLocal();
            int ov = fb.newLocal();
            fb.emit(new Ir.Scan(own, ok, ov, fb.block(() -> fb.emit(new Ir.ObjectInsert(result, ok, ov, null)))));
            for (Map.Entry<String, RuleTree.Node> c : node.children().entrySet()) {
                RuleTree.Node child = c.getValue();
                if (child.rules() != null && child.rules().isFunction()) {
                    continue;
                }
                boolean union = setLeaves(child)
                        && node.rules().defs().stream().allMatch(d -> d.rule().kind() == Rule.Kind.PARTIAL_SET);
                int depth = Math.min(minKeys(node.rules()) - 1, structuralDepth(child));
                String fn = valueFunc(child);
                fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
                    int v = fb.newLocal();
                    fb.emit(new Ir.Call(fn, List.of(INPUT, DATA), v));
                    int k = constant(fb, new Ir.StringConst(c.getKey()));
                    mergeInto(fb, result, k, v, union, depth);
                }))));
            }
        } else {
            fb.emit(new Ir.Make(Ir.Collection.OBJECT, result));
            List<Ir.Block> blocks = new ArrayList<>();
            blocks.add(fb.block(() -> {
                int base = dots(fb, DATA, path);
                int k = fb.newLocal();
                int v = fb.newLocal();
                fb.emit(new Ir.Scan(base, k, v, fb.block(() -> fb.emit(new Ir.ObjectInsert(result, k, v, null)))));
            }));
            for (Map.Entry<String, RuleTree.Node> c : node.children().entrySet()) {
                RuleTree.Node child = c.getValue();
                if (child.rules() != null && child.rules().isFunction()) {
                    continue;
                }
                String fn = valueFunc(child);
                blocks.add(fb.block(() -> {
                    int v = fb.newLocal();
                    fb.emit(new Ir.Call(fn, List.of(INPUT, DATA), v));
                    int k = fb.newLocal();
                    fb.emit(new Ir.Const(new Ir.StringConst(c.getKey()), k));
                    fb.emit(new Ir.ObjectInsert(result, k, v, null));
                }));
            }
            fb.emit(new Ir.Blocks(blocks));
        }
        funcs.put(name, fb.build(result, true));
    }

    /** The function computing a node's own document: its rule alone, or the merged tree. */
    private String valueFunc(RuleTree.Node n) {
        return n.rules() != null && n.children().isEmpty() ? ruleFuncName(n.rules().path()) : requireTree(n.path());
    }

    /** Emits src.p0.p1... with constant string keys; returns the local holding the result. */
    private static int dots(FuncBuilder fb, int src, List<String> path) {
        int cur = src;
        for (String s : path) {
            int k = fb.newLocal();
            fb.emit(new Ir.Const(new Ir.StringConst(s), k));
            int t = fb.newLocal();
            fb.emit(new Ir.Dot(cur, k, t));
            cur = t;
        }
        return cur;
    }

    // ---------------------------------------------------------------- bodies

    private void planBody(Ctx ctx, Body body, Env env, Runnable done) {
        planBody(ctx, body, env, done, null);
    }

    /**
     * Plans a body then {@code done}; when {@code doneWithEnv} is given it is called instead, with
     * the environment holding the body's bindings (rule heads read them).
     */
    private void planBody(Ctx ctx, Body body, Env env, Runnable done, Consumer<Env> doneWithEnv) {
        Runnable finish = doneWithEnv != null ? () -> doneWithEnv.accept(env) : done;
        if (body == null) {
            finish.run();
            return;
        }
        declare(body, env);
        List<Literal> ordered = Safety.order(body.literals(), n -> isFreeLocal(ctx, env, n), c -> outputArgCall(ctx, c));
        planLiterals(ctx, ordered, 0, env, finish);
    }

    /** Names declared in a body shadow rules and imports of the same name. */
    private void declare(Body body, Env env) {
        for (Literal l : body.literals()) {
            if (l instanceof Literal.SomeDecl s) {
                s.vars().forEach(v -> env.declare(v.name()));
            } else if (l instanceof Literal.SomeIn s) {
                Set<Term.Var> vs = new LinkedHashSet<>();
                if (s.key() != null) {
                    patternVars(s.key(), vs);
                }
                patternVars(s.value(), vs);
                vs.forEach(v -> env.declare(v.name()));
            } else if (l instanceof Literal.Expr e && !e.negated() && e.term() instanceof Term.Call c
                    && c.name().equals(":=")) {
                Set<Term.Var> vs = new LinkedHashSet<>();
                patternVars(c.args().get(0), vs);
                vs.forEach(v -> env.declare(v.name()));
            }
        }
    }

    private static void patternVars(Term t, Set<Term.Var> out) {
        if (t instanceof Term.Var v) {
            out.add(v);
        } else if (t instanceof Term.Arr a) {
            a.items().forEach(i -> patternVars(i, out));
        } else if (t instanceof Term.Obj o) {
            o.items().forEach(i -> patternVars(i.value(), out));
        }
    }

    private void planLiterals(Ctx ctx, List<Literal> lits, int i, Env env, Runnable done) {
        if (i == lits.size()) {
            done.run();
            return;
        }
        Runnable next = () -> planLiterals(ctx, lits, i + 1, env, done);
        Literal lit = lits.get(i);
        FuncBuilder fb = ctx.fb;
        if (!(lit instanceof Literal.SomeDecl)) {
            covered(fb, lit.pos());
        }
        if (lit instanceof Literal.SomeDecl) {
            next.run();
        } else if (lit instanceof Literal.Expr e && !e.withs().isEmpty()) {
            withInput(ctx, e.withs(), 0, ctx.input, env, replaced -> {
                Literal.Expr plain = new Literal.Expr(e.pos(), e.negated(), e.term());
                planLiterals(replaced, List.of(plain), 0, env, next);
            });
        } else if (lit instanceof Literal.SomeIn s && !s.withs().isEmpty()) {
            withInput(ctx, s.withs(), 0, ctx.input, env, replaced -> planLiterals(replaced,
                    List.of(new Literal.SomeIn(s.pos(), s.key(), s.value(), s.collection())), 0, env, next));
        } else if (lit instanceof Literal.Every ev && !ev.withs().isEmpty()) {
            withInput(ctx, ev.withs(), 0, ctx.input, env, replaced -> planLiterals(replaced,
                    List.of(new Literal.Every(ev.pos(), ev.key(), ev.value(), ev.collection(), ev.body())), 0, env, next));
        } else if (lit instanceof Literal.Expr e && !e.negated()) {
            planExpr(ctx, e.term(), env, next);
        } else if (lit instanceof Literal.Expr e) {
            Env inner = env.child();
            negate(fb, succeed -> planExpr(ctx, e.term(), inner, succeed));
            next.run();
        } else if (lit instanceof Literal.SomeIn s) {
            planTerm(ctx, s.collection(), env, coll -> {
                int k = fb.newLocal();
                int v = fb.newLocal();
                fb.emit(new Ir.Scan(coll, k, v, fb.block(() -> {
                    Runnable bindValue = () -> unify(ctx, s.value(), v, env, next);
                    if (s.key() != null) {
                        unify(ctx, s.key(), k, env, bindValue);
                    } else {
                        bindValue.run();
                    }
                })));
            });
        } else if (lit instanceof Literal.Every ev) {
            planTerm(ctx, ev.collection(), env, coll -> {
                // every over a scalar is undefined, not vacuously true
                fb.emit(new Ir.TypeIn(coll, COLLECTIONS));
                int violated = fb.newLocal();
                fb.emit(new Ir.Reset(violated));
                int k = fb.newLocal();
                int v = fb.newLocal();
                fb.emit(new Ir.Scan(coll, k, v, fb.block(() -> {
                    Env inner = env.child();
                    if (ev.key() != null) {
                        inner.declare(ev.key().name());
                        inner.bind(ev.key().name(), k);
                    }
                    inner.declare(ev.value().name());
                    inner.bind(ev.value().name(), v);
                    negate(fb, succeed -> planBody(ctx, ev.body(), inner, succeed));
                    fb.emit(new Ir.Const(new Ir.BoolConst(true), violated));
                })));
                fb.emit(new Ir.Defined(violated, false));
                next.run();
            });
        }
    }

    /**
     * Applies {@code with} modifiers in order, each replacing input (or a path below it), then
     * continues with a context whose input is the result. Rules called from the literal receive it
     * as their input parameter, which is what makes the replacement reach them.
     */
    private void withInput(Ctx ctx, List<Literal.With> withs, int i, int current, Env env, Consumer<Ctx> k) {
        if (i == withs.size()) {
            k.accept(ctx.withInput(current));
            return;
        }
        FuncBuilder fb = ctx.fb;
        Literal.With w = withs.get(i);
        planTerm(ctx, w.value(), env, value -> {
            if (!(w.target() instanceof Term.Ref r)) {
                withInput(ctx, withs, i + 1, value, env, k);
                return;
            }
            List<String> path = new ArrayList<>();
            r.path().forEach(seg -> path.add(((Term.Str) seg).value()));
            int replaced = upsert(fb, current, path, 0, value);
            withInput(ctx, withs, i + 1, replaced, env, k);
        });
    }

    /**
     * A copy of {@code doc} whose value at {@code path[from..]} is {@code value}, as {@code with}
     * defines it: the value replaces what was there (it is not merged into it), and a missing or
     * non-object document on the way is replaced by objects leading to the value.
     */
    private static int upsert(FuncBuilder fb, int doc, List<String> path, int from, int value) {
        if (from == path.size()) {
            return value;
        }
        int copy = fb.newLocal();
        fb.emit(new Ir.Make(Ir.Collection.OBJECT, copy));
        int key = constant(fb, new Ir.StringConst(path.get(from)));
        int child = fb.newLocal();
        fb.emit(new Ir.Reset(child));
        fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
            fb.emit(new Ir.TypeIn(doc, Set.of(Ir.Type.OBJECT)));
            int k = fb.newLocal();
            int v = fb.newLocal();
            fb.emit(new Ir.Scan(doc, k, v, fb.block(() -> fb.emit(new Ir.ObjectInsert(copy, k, v, null)))));
            if (from + 1 < path.size()) {
                int c = fb.newLocal();
                fb.emit(new Ir.Dot(doc, key, c));
                fb.emit(new Ir.Assign(c, child));
            }
        }))));
        fb.emit(new Ir.ObjectInsert(copy, key, upsert(fb, child, path, from + 1, value), null));
        return copy;
    }

    /**
     * Plans {@code inner} (given the continuation that marks success) so that the enclosing block
     * continues only if inner has no solution. A flag is needed because inner's success point may
     * sit inside loops that themselves always complete.
     */
    private static void negate(FuncBuilder fb, Consumer<Runnable> inner) {
        int held = fb.newLocal();
        fb.emit(new Ir.Reset(held));
        fb.emit(new Ir.Blocks(List.of(fb.block(() ->
                inner.accept(() -> fb.emit(new Ir.Const(new Ir.BoolConst(true), held)))))));
        fb.emit(new Ir.Defined(held, false));
    }

    /** An expression used as a body literal: it must be defined and not false. */
    private void planExpr(Ctx ctx, Term term, Env env, Runnable next) {
        FuncBuilder fb = ctx.fb;
        if (term instanceof Term.Call c) {
            switch (c.name()) {
                case ":=" -> {
                    Term lhs = c.args().get(0);
                    checkAssignTarget(lhs, env);
                    planTerm(ctx, c.args().get(1), env, v -> unify(ctx, lhs, v, env, next));
                    return;
                }
                case "=" -> {
                    unifyTerms(ctx, c.args().get(0), c.args().get(1), env, next, c.pos());
                    return;
                }
                case "==", "!=", "<", "<=", ">", ">=" -> {
                    Ir.Cmp op = cmp(c.name());
                    planTerm(ctx, c.args().get(0), env, a -> planTerm(ctx, c.args().get(1), env, b -> {
                        fb.emit(new Ir.Compare(op, a, b, -1));
                        next.run();
                    }));
                    return;
                }
                case "in" -> {
                    int found = membership(ctx, c, env);
                    fb.emit(new Ir.Defined(found, true));
                    next.run();
                    return;
                }
                default -> {
                    if (outputArgCall(ctx, c)) {
                        List<Term> in = c.args().subList(0, c.args().size() - 1);
                        Term out = c.args().get(c.args().size() - 1);
                        planCall(ctx, new Term.Call(c.pos(), c.name(), in), env, v -> unify(ctx, out, v, env, next));
                        return;
                    }
                }
            }
        }
        planTerm(ctx, term, env, v -> {
            fb.emit(new Ir.NotFalse(v));
            next.run();
        });
    }

    /**
     * A call with one argument more than the function takes: Rego binds the last argument to the
     * result ({@code count(xs, n)}).
     */
    private boolean outputArgCall(Ctx ctx, Term.Call c) {
        if (ARITH.containsKey(c.name()) || c.name().length() <= 2 && !Character.isLetter(c.name().charAt(0))) {
            return false;
        }
        int arity = names.arity(ctx.scope, c.name());
        return arity >= 0 && c.args().size() == arity + 1;
    }

    private void checkAssignTarget(Term lhs, Env env) {
        Set<Term.Var> vs = new LinkedHashSet<>();
        patternVars(lhs, vs);
        for (Term.Var v : vs) {
            if (!v.isWildcard() && env.isBound(v.name())) {
                throw new CompileException(new Diagnostic(v.pos(), "rego_compile_error", "var " + v.name() + " assigned above"));
            }
        }
        if (!(lhs instanceof Term.Var || lhs instanceof Term.Arr || lhs instanceof Term.Obj)) {
            throw new CompileException(new Diagnostic(lhs.pos(), "rego_compile_error",
                    "cannot assign to " + describe(lhs) + "; the left side of := must be a variable or a pattern"));
        }
    }

    /**
     * {@code x in xs} / {@code k, v in xs}: returns a local that is defined (true) iff a matching
     * element exists.
     */
    private int membership(Ctx ctx, Term.Call c, Env env) {
        FuncBuilder fb = ctx.fb;
        int found = fb.newLocal();
        List<Term> args = c.args();
        Term coll = args.get(args.size() - 1);
        planTerm(ctx, coll, env, cv -> planTerm(ctx, args.get(args.size() - 2), env, xv -> {
            if (args.size() == 3) {
                planTerm(ctx, args.get(0), env, kv -> emitMemberScan(fb, found, cv, xv, kv));
            } else {
                emitMemberScan(fb, found, cv, xv, -1);
            }
        }));
        return found;
    }

    private static void emitMemberScan(FuncBuilder fb, int found, int coll, int value, int key) {
        fb.emit(new Ir.Reset(found));
        int k = fb.newLocal();
        int v = fb.newLocal();
        fb.emit(new Ir.Scan(coll, k, v, fb.block(() -> {
            fb.emit(new Ir.Compare(Ir.Cmp.EQ, v, value, -1));
            if (key >= 0) {
                fb.emit(new Ir.Compare(Ir.Cmp.EQ, k, key, -1));
            }
            fb.emit(new Ir.Const(new Ir.BoolConst(true), found));
        })));
    }

    private void unifyTerms(Ctx ctx, Term a, Term b, Env env, Runnable next, Position pos) {
        Predicate<String> free = n -> isFreeLocal(ctx, env, n);
        Set<String> outer = Set.of();
        if (Safety.ready(a, b, free, outer)) {
            planTerm(ctx, a, env, va -> unify(ctx, b, va, env, next));
        } else if (Safety.ready(b, a, free, outer)) {
            planTerm(ctx, b, env, vb -> unify(ctx, a, vb, env, next));
        } else if (a instanceof Term.Arr aa && b instanceof Term.Arr ba && aa.items().size() == ba.items().size()) {
            unifyPairs(ctx, aa.items(), ba.items(), 0, env, next, pos);
        } else if (a instanceof Term.Obj ao && b instanceof Term.Obj bo && Safety.sameConstantKeys(ao, bo)) {
            List<Term> as = new ArrayList<>();
            List<Term> bs = new ArrayList<>();
            for (Term.Obj.Item i : ao.items()) {
                as.add(i.value());
                bs.add(Safety.valueOf(bo, i.key()));
            }
            unifyPairs(ctx, as, bs, 0, env, next, pos);
        } else {
            Set<Term.Var> need = new LinkedHashSet<>();
            Vars.needed(a, free, outer, need);
            Vars.needed(b, free, outer, need);
            throw Safety.unsafe(need.isEmpty() ? null : need.iterator().next(), pos);
        }
    }

    private void unifyPairs(Ctx ctx, List<Term> as, List<Term> bs, int i, Env env, Runnable next, Position pos) {
        if (i == as.size()) {
            next.run();
            return;
        }
        unifyTerms(ctx, as.get(i), bs.get(i), env, () -> unifyPairs(ctx, as, bs, i + 1, env, next, pos), pos);
    }

    /** Matches the value in local v against pattern, binding the pattern's free variables. */
    private void unify(Ctx ctx, Term pattern, int v, Env env, Runnable next) {
        FuncBuilder fb = ctx.fb;
        if (pattern instanceof Term.Var var) {
            if (var.isWildcard()) {
                next.run();
            } else if (isFreeLocal(ctx, env, var.name())) {
                env.bind(var.name(), v);
                next.run();
            } else {
                planTerm(ctx, var, env, pv -> {
                    fb.emit(new Ir.Compare(Ir.Cmp.EQ, pv, v, -1));
                    next.run();
                });
            }
            return;
        }
        Set<String> outs = new HashSet<>();
        Vars.patternOutputs(pattern, n -> isFreeLocal(ctx, env, n), outs);
        boolean hasWildcards = containsWildcardPattern(pattern);
        if (pattern instanceof Term.Arr arr && (!outs.isEmpty() || hasWildcards)) {
            fb.emit(new Ir.ArrayOfLength(v, arr.items().size()));
            unifyElements(ctx, arr.items(), 0, v, env, next);
            return;
        }
        if (pattern instanceof Term.Obj obj && (!outs.isEmpty() || hasWildcards)) {
            fb.emit(new Ir.ObjectOfSize(v, obj.items().size()));
            unifyItems(ctx, obj.items(), 0, v, env, next);
            return;
        }
        planTerm(ctx, pattern, env, pv -> {
            fb.emit(new Ir.Compare(Ir.Cmp.EQ, pv, v, -1));
            next.run();
        });
    }

    private static boolean containsWildcardPattern(Term t) {
        if (t instanceof Term.Var v) {
            return v.isWildcard();
        } else if (t instanceof Term.Arr a) {
            return a.items().stream().anyMatch(Planner::containsWildcardPattern);
        } else if (t instanceof Term.Obj o) {
            return o.items().stream().anyMatch(i -> containsWildcardPattern(i.value()));
        }
        return false;
    }

    private void unifyElements(Ctx ctx, List<Term> items, int i, int arr, Env env, Runnable next) {
        if (i == items.size()) {
            next.run();
            return;
        }
        FuncBuilder fb = ctx.fb;
        int idx = fb.newLocal();
        fb.emit(new Ir.Const(new Ir.IntConst(i), idx));
        int e = fb.newLocal();
        fb.emit(new Ir.Dot(arr, idx, e));
        unify(ctx, items.get(i), e, env, () -> unifyElements(ctx, items, i + 1, arr, env, next));
    }

    private void unifyItems(Ctx ctx, List<Term.Obj.Item> items, int i, int obj, Env env, Runnable next) {
        if (i == items.size()) {
            next.run();
            return;
        }
        FuncBuilder fb = ctx.fb;
        planTerm(ctx, items.get(i).key(), env, k -> {
            int e = fb.newLocal();
            fb.emit(new Ir.Dot(obj, k, e));
            unify(ctx, items.get(i).value(), e, env, () -> unifyItems(ctx, items, i + 1, obj, env, next));
        });
    }

    // ---------------------------------------------------------------- names

    /** A local variable that is not yet bound (as opposed to input, data, imports and rules). */
    private boolean isFreeLocal(Ctx ctx, Env env, String name) {
        return isLocalName(ctx, env, name) && !env.isBound(name);
    }

    private boolean isLocalName(Ctx ctx, Env env, String name) {
        return name.startsWith("$_") || env.isDeclared(name) || !isGlobalName(ctx, name);
    }

    private boolean isGlobalName(Ctx ctx, String name) {
        return names.isGlobal(ctx.scope, name);
    }

    // ---------------------------------------------------------------- terms

    private void planTerm(Ctx ctx, Term t, Env env, IntConsumer k) {
        FuncBuilder fb = ctx.fb;
        if (t instanceof Term.Null) {
            k.accept(constant(fb, new Ir.NullConst()));
        } else if (t instanceof Term.Bool b) {
            k.accept(constant(fb, new Ir.BoolConst(b.value())));
        } else if (t instanceof Term.Num n) {
            k.accept(constant(fb, number(n)));
        } else if (t instanceof Term.Str s) {
            k.accept(constant(fb, new Ir.StringConst(s.value())));
        } else if (t instanceof Term.Var v) {
            planVar(ctx, v, env, k);
        } else if (t instanceof Term.Ref r) {
            planRef(ctx, r, env, k);
        } else if (t instanceof Term.Arr a) {
            planTerms(ctx, a.items(), 0, new ArrayList<>(), env, items -> {
                int arr = fb.newLocal();
                fb.emit(new Ir.Make(Ir.Collection.ARRAY, arr));
                items.forEach(i -> fb.emit(new Ir.ArrayAppend(arr, i)));
                k.accept(arr);
            });
        } else if (t instanceof Term.SetLit s) {
            planTerms(ctx, s.items(), 0, new ArrayList<>(), env, items -> {
                int set = fb.newLocal();
                fb.emit(new Ir.Make(Ir.Collection.SET, set));
                items.forEach(i -> fb.emit(new Ir.SetAdd(set, i)));
                k.accept(set);
            });
        } else if (t instanceof Term.Obj o) {
            List<Term> flat = new ArrayList<>();
            o.items().forEach(i -> {
                flat.add(i.key());
                flat.add(i.value());
            });
            planTerms(ctx, flat, 0, new ArrayList<>(), env, items -> {
                int obj = fb.newLocal();
                fb.emit(new Ir.Make(Ir.Collection.OBJECT, obj));
                for (int i = 0; i < items.size(); i += 2) {
                    fb.emit(new Ir.ObjectInsert(obj, items.get(i), items.get(i + 1), null));
                }
                k.accept(obj);
            });
        } else if (t instanceof Term.ArrayCompr c) {
            k.accept(comprehension(ctx, Ir.Collection.ARRAY, c.body(), env, (inner, target) ->
                    planTerm(ctx, c.head(), inner, v -> fb.emit(new Ir.ArrayAppend(target, v)))));
        } else if (t instanceof Term.SetCompr c) {
            k.accept(comprehension(ctx, Ir.Collection.SET, c.body(), env, (inner, target) ->
                    planTerm(ctx, c.head(), inner, v -> fb.emit(new Ir.SetAdd(target, v)))));
        } else if (t instanceof Term.ObjectCompr c) {
            String msg = conflictMessage(c.pos(), "object keys must be unique", "object comprehension");
            k.accept(comprehension(ctx, Ir.Collection.OBJECT, c.body(), env, (inner, target) ->
                    planTerm(ctx, c.key(), inner, kv -> planTerm(ctx, c.value(), inner,
                            vv -> fb.emit(new Ir.ObjectInsert(target, kv, vv, msg))))));
        } else if (t instanceof Term.Call c) {
            planCall(ctx, c, env, k);
        } else {
            throw new CompileException(new Diagnostic(t.pos(), "unsupported", "unsupported: term " + describe(t)));
        }
    }

    private interface ComprehensionHead {
        void plan(Env inner, int target);
    }

    private int comprehension(Ctx ctx, Ir.Collection kind, Body body, Env env, ComprehensionHead head) {
        FuncBuilder fb = ctx.fb;
        int target = fb.newLocal();
        fb.emit(new Ir.Make(kind, target));
        Ir.Block b = fb.block(() -> planBody(ctx, body, env.child(), () -> {}, inner -> head.plan(inner, target)));
        fb.emit(new Ir.Blocks(List.of(b)));
        return target;
    }

    private void planTerms(Ctx ctx, List<Term> ts, int i, List<Integer> acc, Env env, Consumer<List<Integer>> k) {
        if (i == ts.size()) {
            k.accept(List.copyOf(acc));
            return;
        }
        planTerm(ctx, ts.get(i), env, v -> {
            List<Integer> next = new ArrayList<>(acc);
            next.add(v);
            planTerms(ctx, ts, i + 1, next, env, k);
        });
    }

    private static int constant(FuncBuilder fb, Ir.Constant c) {
        int t = fb.newLocal();
        fb.emit(new Ir.Const(c, t));
        return t;
    }

    /**
     * Plain integer literals that fit a long are int constants; any other number keeps its text
     * (OPA's numbers are their text: 1.0 and 1e3 are not the integer 1000 to sprintf or
     * json.marshal, and 2e308 is not infinite).
     */
    static Ir.Constant number(Term.Num n) {
        String s = n.text();
        if (s.matches("-?(0|[1-9][0-9]*)") && !s.equals("-0")) {
            try {
                return new Ir.IntConst(Long.parseLong(s));
            } catch (NumberFormatException e) {
                // beyond a long: kept as text
            }
        }
        return new Ir.NumConst(s);
    }

    private void planVar(Ctx ctx, Term.Var v, Env env, IntConsumer k) {
        int local = env.local(v.name());
        if (local >= 0) {
            k.accept(local);
            return;
        }
        if (isLocalName(ctx, env, v.name())) {
            throw Safety.unsafe(v, v.pos());
        }
        planRef(ctx, new Term.Ref(v.pos(), v, List.of()), env, k);
    }

    private void planRef(Ctx ctx, Term.Ref r, Env env, IntConsumer k) {
        FuncBuilder fb = ctx.fb;
        Term head = r.head();
        if (head instanceof Term.Var v && env.local(v.name()) < 0 && !isLocalName(ctx, env, v.name())) {
            String name = v.name();
            List<Term> path = new ArrayList<>();
            List<String> base;
            if (name.equals("input")) {
                base = List.of("input");
            } else if (name.equals("data")) {
                base = List.of("data");
            } else if (ctx.scope.aliases().containsKey(name)) {
                base = ctx.scope.aliases().get(name);
            } else {
                List<String> p = new ArrayList<>();
                p.add("data");
                p.addAll(ctx.scope.pkg());
                p.add(name);
                base = p;
            }
            for (String s : base.subList(1, base.size())) {
                path.add(new Term.Str(r.pos(), s));
            }
            path.addAll(r.path());
            if (base.get(0).equals("input")) {
                fb.emit(new Ir.Defined(ctx.input, true));
                planPath(ctx, ctx.input, path, 0, env, k, false);
            } else {
                planDataRef(ctx, path, env, k);
            }
            return;
        }
        planTerm(ctx, head, env, h -> planPath(ctx, h, r.path(), 0, env, k, false));
    }

    /** Walks the rule tree along constant path segments; rules are called, the rest is data. */
    private void planDataRef(Ctx ctx, List<Term> path, Env env, IntConsumer k) {
        FuncBuilder fb = ctx.fb;
        RuleTree.Node node = tree.root();
        List<String> consts = new ArrayList<>();
        int i = 0;
        while (true) {
            if (node.rules() != null) {
                RuleTree.RuleSet rs = node.rules();
                if (rs.isFunction()) {
                    throw new CompileException(new Diagnostic(path.isEmpty() ? new Position("?", 1, 1) : path.get(0).pos(),
                            "rego_type_error", "function " + rs.dotted() + " must be called with arguments"));
                }
                int v = fb.newLocal();
                fb.emit(new Ir.Call(valueFunc(node), List.of(ctx.input, DATA), v));
                planPath(ctx, v, path, i, env, k, false);
                return;
            }
            boolean emptyPackage = node.isPackage() && i == path.size();
            if (node.children().isEmpty() && !emptyPackage) {
                planPath(ctx, DATA, path, 0, env, k, true);
                return;
            }
            if (i == path.size()) {
                int v = fb.newLocal();
                fb.emit(new Ir.Call(requireDoc(consts), List.of(ctx.input, DATA), v));
                k.accept(v);
                return;
            }
            Term seg = path.get(i);
            if (seg instanceof Term.Str s) {
                RuleTree.Node child = node.children().get(s.value());
                if (child == null) {
                    planPath(ctx, DATA, path, 0, env, k, true);
                    return;
                }
                node = child;
                consts.add(s.value());
                i++;
                continue;
            }
            if (seg instanceof Term.Num || seg instanceof Term.Bool || seg instanceof Term.Null) {
                // rules and packages have string names: a scalar key can only select base data
                planPath(ctx, DATA, path, 0, env, k, true);
                return;
            }
            int v = fb.newLocal();
            fb.emit(new Ir.Call(requireDoc(consts), List.of(ctx.input, DATA), v));
            planPath(ctx, v, path, i, env, k, false);
            return;
        }
    }

    /**
     * src[path[i]][path[i+1]]...: bound segments look up, free variables iterate. Under base data
     * ({@code baseData}), an integer literal key also finds the object key spelled the same, as
     * OPA's storage paths do ({@code data.x[2]} reads {@code {"x": {"2": ...}}}).
     */
    private void planPath(Ctx ctx, int src, List<Term> path, int i, Env env, IntConsumer k, boolean baseData) {
        if (i == path.size()) {
            k.accept(src);
            return;
        }
        FuncBuilder fb = ctx.fb;
        Term seg = path.get(i);
        if (seg instanceof Term.Var v && (v.isWildcard() || isFreeLocal(ctx, env, v.name()))) {
            int key = fb.newLocal();
            int val = fb.newLocal();
            fb.emit(new Ir.Scan(src, key, val, fb.block(() -> {
                if (!v.isWildcard()) {
                    env.bind(v.name(), key);
                }
                planPath(ctx, val, path, i + 1, env, k, baseData);
            })));
            return;
        }
        if (baseData && seg instanceof Term.Num n && n.text().matches("-?\\d+")) {
            int t = fb.newLocal();
            fb.emit(new Ir.Reset(t));
            fb.emit(new Ir.Blocks(List.of(
                    fb.block(() -> {
                        int found = fb.newLocal();
                        fb.emit(new Ir.Dot(src, constant(fb, number(n)), found));
                        fb.emit(new Ir.Assign(found, t));
                    }),
                    fb.block(() -> {
                        fb.emit(new Ir.Defined(t, false));
                        int found = fb.newLocal();
                        fb.emit(new Ir.Dot(src, constant(fb, new Ir.StringConst(n.text())), found));
                        fb.emit(new Ir.Assign(found, t));
                    }))));
            fb.emit(new Ir.Defined(t, true));
            planPath(ctx, t, path, i + 1, env, k, baseData);
            return;
        }
        Set<String> outs = new HashSet<>();
        Vars.patternOutputs(seg, n -> isFreeLocal(ctx, env, n), outs);
        if ((seg instanceof Term.Arr || seg instanceof Term.Obj) && !outs.isEmpty()) {
            throw new CompileException(new Diagnostic(seg.pos(), "unsupported",
                    "unsupported: pattern with unbound variables as a reference key"));
        }
        planTerm(ctx, seg, env, key -> {
            int t = fb.newLocal();
            fb.emit(new Ir.Dot(src, key, t));
            planPath(ctx, t, path, i + 1, env, k, baseData);
        });
    }

    // ---------------------------------------------------------------- calls

    private static Ir.Cmp cmp(String op) {
        return switch (op) {
            case "==" -> Ir.Cmp.EQ;
            case "!=" -> Ir.Cmp.NE;
            case "<" -> Ir.Cmp.LT;
            case "<=" -> Ir.Cmp.LE;
            case ">" -> Ir.Cmp.GT;
            case ">=" -> Ir.Cmp.GE;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** The infix operators computed by a native builtin ({@code + - * / % | &}), by operator. */
    private static final Map<String, BuiltinDecl> ARITH = arithmetic();

    private static Map<String, BuiltinDecl> arithmetic() {
        Map<String, BuiltinDecl> m = new HashMap<>();
        for (BuiltinDecl b : BuiltinTable.all()) {
            if (b.infix() != null && b.isNative()) {
                m.put(b.infix(), b);
            }
        }
        return Map.copyOf(m);
    }

    private void planCall(Ctx ctx, Term.Call c, Env env, IntConsumer k) {
        FuncBuilder fb = ctx.fb;
        String name = c.name();
        if (names.userFunctionPath(ctx.scope, name) == null) {
            Names.checkArgumentTypes(c);
        }
        if (ARITH.containsKey(name)) {
            planTerms(ctx, c.args(), 0, new ArrayList<>(), env, args -> {
                int t = fb.newLocal();
                fb.emit(new Ir.Call(Ir.builtin(ARITH.get(name).name()), args, t));
                k.accept(t);
            });
            return;
        }
        switch (name) {
            case "==", "!=", "<", "<=", ">", ">=" -> {
                planTerms(ctx, c.args(), 0, new ArrayList<>(), env, args -> {
                    int t = fb.newLocal();
                    fb.emit(new Ir.Compare(cmp(name), args.get(0), args.get(1), t));
                    k.accept(t);
                });
                return;
            }
            case "in" -> {
                int found = membership(ctx, c, env);
                int t = fb.newLocal();
                fb.emit(new Ir.Const(new Ir.BoolConst(false), t));
                fb.emit(new Ir.Blocks(List.of(fb.block(() -> {
                    fb.emit(new Ir.Defined(found, true));
                    fb.emit(new Ir.Const(new Ir.BoolConst(true), t));
                }))));
                k.accept(t);
                return;
            }
            case ":=", "=" -> throw new CompileException(new Diagnostic(c.pos(), "rego_parse_error",
                    "'" + name + "' cannot be used inside an expression"));
            default -> { }
        }
        Names.Callee callee = names.resolveCall(ctx.scope, c);
        String func;
        if (callee.function() != null) {
            func = ruleFuncName(callee.function().path());
        } else if (callee.builtin().isHost()) {
            hostBuiltins.add(callee.builtin().name());
            func = Ir.host(callee.builtin().name());
        } else {
            func = Ir.builtin(callee.builtin().name());
        }
        planTerms(ctx, c.args(), 0, new ArrayList<>(), env, args -> {
            int t = fb.newLocal();
            List<Integer> all = new ArrayList<>();
            if (callee.function() != null) {
                all.add(ctx.input);
                all.add(DATA);
            }
            all.addAll(args);
            fb.emit(new Ir.Call(func, all, t));
            k.accept(t);
        });
    }

    private static String describe(Term t) {
        return t.getClass().getSimpleName().toLowerCase();
    }

    // ---------------------------------------------------------------- whole-program checks

    private void checkRecursion() {
        Map<String, Set<String>> graph = new HashMap<>();
        for (Ir.Func f : funcs.values()) {
            if (f.name().equals(MERGE)) {
                continue; // recursive by design, over the finite depth of its arguments
            }
            Set<String> calls = new LinkedHashSet<>();
            collectCalls(f.body(), calls);
            calls.retainAll(funcs.keySet());
            calls.remove(MERGE);
            graph.put(f.name(), calls);
        }
        Set<String> done = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (String f : funcs.keySet()) {
            dfs(f, graph, new ArrayList<>(), new HashSet<>(), done, reported);
        }
    }

    private void dfs(String f, Map<String, Set<String>> graph, List<String> stack, Set<String> onStack,
                     Set<String> done, Set<String> reported) {
        if (done.contains(f)) {
            return;
        }
        if (onStack.contains(f)) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(f), stack.size()));
            cycle.add(f);
            String rule = cycle.stream().filter(funcPos::containsKey).findFirst().orElse(f);
            if (reported.add(rule)) {
                diags.add(new Diagnostic(funcPos.getOrDefault(rule, new Position("?", 1, 1)), "rego_recursion_error",
                        "rule " + rule + " is recursive: " + String.join(" -> ", cycle.stream().map(Planner::display).toList())));
            }
            return;
        }
        onStack.add(f);
        stack.add(f);
        for (String g : graph.getOrDefault(f, Set.of())) {
            dfs(g, graph, stack, onStack, done, reported);
        }
        stack.remove(stack.size() - 1);
        onStack.remove(f);
        done.add(f);
    }

    private static String display(String func) {
        return func.startsWith("doc:") ? func.substring(4) : func.startsWith("tree:") ? func.substring(5) : func;
    }

    static void collectCalls(Ir.Block b, Set<String> out) {
        for (Ir.Stmt s : b.stmts()) {
            if (s instanceof Ir.Call c) {
                out.add(c.func());
            } else if (s instanceof Ir.Scan sc) {
                collectCalls(sc.body(), out);
            } else if (s instanceof Ir.Blocks bs) {
                bs.blocks().forEach(x -> collectCalls(x, out));
            }
        }
    }

    /** The functions reachable from the entrypoints, in a stable order. */
    private List<Ir.Func> reachable(List<Ir.Entrypoint> eps) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>();
        eps.forEach(e -> work.add(e.func()));
        while (!work.isEmpty()) {
            String f = work.poll();
            if (!funcs.containsKey(f) || !seen.add(f)) {
                continue;
            }
            Set<String> calls = new LinkedHashSet<>();
            collectCalls(funcs.get(f).body(), calls);
            work.addAll(calls);
        }
        return seen.stream().map(funcs::get).toList();
    }
}
