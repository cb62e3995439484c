package dev.portcullis.rego.tester;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.styra.opa.wasm.OpaBuiltin;
import com.styra.opa.wasm.OpaWasm;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.plan.CoverageHook;
import dev.portcullis.rego.syntax.Body;
import dev.portcullis.rego.syntax.Literal;
import dev.portcullis.rego.syntax.Module;
import dev.portcullis.rego.syntax.Parser;
import dev.portcullis.rego.syntax.Rule;
import dev.portcullis.rego.syntax.Term;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Line coverage of Rego modules, as {@code opa test --coverage} reports it: a line is covered when
 * an expression on it was evaluated or a rule whose head starts on it produced a value; the lines
 * of all other expressions and rule heads are not covered. Hits arrive from a coverage build
 * through the host builtin {@link CoverageHook#BUILTIN}, which {@link #recorder()} implements.
 */
public final class CoverageReport {

    /** Hit lines per file, collected while tests run. */
    private final Map<String, TreeSet<Integer>> hits = new TreeMap<>();

    /** The host builtin that records a coverage build's hits into this report. */
    public OpaBuiltin.Builtin recorder() {
        return new OpaBuiltin.Builtin() {
            @Override
            public String name() {
                return CoverageHook.BUILTIN;
            }

            @Override
            public int asBuiltin1(OpaWasm instance, int where) {
                String location;
                try {
                    location = CanonicalJson.parse(instance.readString(where)).asText();
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable coverage hit", e);
                }
                int colon = location.lastIndexOf(':');
                hit(location.substring(0, colon), Integer.parseInt(location.substring(colon + 1)));
                return instance.writeResult("true");
            }
        };
    }

    synchronized void hit(String file, int line) {
        hits.computeIfAbsent(file, f -> new TreeSet<>()).add(line);
    }

    /** Per file: covered and not-covered line ranges, counts and percentage, then the totals. */
    public synchronized ObjectNode toJson(List<RegoCompiler.Source> sources) {
        Map<String, TreeSet<Integer>> coverable = new TreeMap<>();
        for (RegoCompiler.Source s : sources) {
            TreeSet<Integer> lines = coverable.computeIfAbsent(s.file(), f -> new TreeSet<>());
            walk(Parser.parse(s.file(), s.text()), lines);
        }
        TreeSet<String> files = new TreeSet<>(coverable.keySet());
        files.addAll(hits.keySet());
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        ObjectNode fileReports = report.putObject("files");
        int coveredTotal = 0;
        int notCoveredTotal = 0;
        for (String file : files) {
            TreeSet<Integer> covered = hits.getOrDefault(file, new TreeSet<>());
            TreeSet<Integer> notCovered = new TreeSet<>(coverable.getOrDefault(file, new TreeSet<>()));
            notCovered.removeAll(covered);
            ObjectNode fr = fileReports.putObject(file);
            // OPA omits empty fields (Go's omitempty)
            if (!covered.isEmpty()) {
                fr.set("covered", ranges(covered));
            }
            if (!notCovered.isEmpty()) {
                fr.set("not_covered", ranges(notCovered));
            }
            if (!covered.isEmpty()) {
                fr.put("covered_lines", covered.size());
            }
            if (!notCovered.isEmpty()) {
                fr.put("not_covered_lines", notCovered.size());
            }
            if (!covered.isEmpty()) {
                percentage(fr, covered.size(), notCovered.size());
            }
            coveredTotal += covered.size();
            notCoveredTotal += notCovered.size();
        }
        report.put("covered_lines", coveredTotal);
        report.put("not_covered_lines", notCoveredTotal);
        percentage(report, coveredTotal, notCoveredTotal);
        return report;
    }

    private static void percentage(ObjectNode o, int covered, int notCovered) {
        double pct = covered + notCovered == 0 ? 0 : 100.0 * covered / (covered + notCovered);
        if (pct == Math.rint(pct)) {
            o.put("coverage", (long) pct); // Go prints 100, not 100.0
        } else {
            o.put("coverage", pct);
        }
    }

    private static ArrayNode ranges(TreeSet<Integer> lines) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        Integer start = null;
        Integer end = null;
        for (int l : lines) {
            if (end != null && l == end + 1) {
                end = l;
                continue;
            }
            if (start != null) {
                range(out, start, end);
            }
            start = l;
            end = l;
        }
        if (start != null) {
            range(out, start, end);
        }
        return out;
    }

    private static void range(ArrayNode out, int start, int end) {
        ObjectNode r = out.addObject();
        r.putObject("start").put("row", start);
        r.putObject("end").put("row", end);
    }

    // ---- the lines that can be covered: rule heads and expressions (not `some x` declarations)

    private static void walk(Module m, TreeSet<Integer> lines) {
        for (Rule r : m.rules()) {
            lines.add(r.pos().line());
            for (Term a : r.args()) {
                walk(a, lines);
            }
            walk(r.key(), lines);
            walk(r.value(), lines);
            walk(r.body(), lines);
            for (Rule.Else e : r.elses()) {
                lines.add(e.pos().line());
                walk(e.value(), lines);
                walk(e.body(), lines);
            }
        }
    }

    private static void walk(Body b, TreeSet<Integer> lines) {
        if (b == null) {
            return;
        }
        for (Literal l : b.literals()) {
            if (l instanceof Literal.SomeDecl) {
                continue;
            }
            lines.add(l.pos().line());
            if (l instanceof Literal.Expr e) {
                walk(e.term(), lines);
                for (Literal.With w : e.withs()) {
                    walk(w.value(), lines);
                }
            } else if (l instanceof Literal.SomeIn s) {
                walk(s.collection(), lines);
            } else if (l instanceof Literal.Every ev) {
                walk(ev.collection(), lines);
                walk(ev.body(), lines);
            }
        }
    }

    /** Expressions nested in terms: comprehension bodies. */
    private static void walk(Term t, TreeSet<Integer> lines) {
        if (t == null) {
            return;
        }
        List<Term> children = new ArrayList<>();
        if (t instanceof Term.ArrayCompr c) {
            children.add(c.head());
            walk(c.body(), lines);
        } else if (t instanceof Term.SetCompr c) {
            children.add(c.head());
            walk(c.body(), lines);
        } else if (t instanceof Term.ObjectCompr c) {
            children.add(c.key());
            children.add(c.value());
            walk(c.body(), lines);
        } else if (t instanceof Term.Ref r) {
            children.add(r.head());
            children.addAll(r.path());
        } else if (t instanceof Term.Arr a) {
            children.addAll(a.items());
        } else if (t instanceof Term.SetLit s) {
            children.addAll(s.items());
        } else if (t instanceof Term.Obj o) {
            o.items().forEach(i -> {
                children.add(i.key());
                children.add(i.value());
            });
        } else if (t instanceof Term.Call c) {
            children.addAll(c.args());
        }
        for (Term c : children) {
            walk(c, lines);
        }
    }
}
