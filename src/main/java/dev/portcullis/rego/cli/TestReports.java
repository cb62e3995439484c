package dev.portcullis.rego.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.tester.TestResult;
import dev.portcullis.rego.tester.TestResult.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** The output formats of {@code portcullis test}: pretty (for people), json (OPA's shape), junit (for CI). */
final class TestReports {

    enum Format { pretty, json, junit }

    private TestReports() {}

    static void write(Format format, List<TestResult> results, boolean verbose, PrintWriter out) {
        switch (format) {
            case pretty -> pretty(results, verbose, out);
            case json -> json(results, out);
            case junit -> junit(results, out);
        }
    }

    /** One line per failing (every, with -v) test, then the closing {@code N passed, M failed} line. */
    static void pretty(List<TestResult> results, boolean verbose, PrintWriter out) {
        for (TestResult r : results) {
            String name = r.test().fullName();
            switch (r.outcome()) {
                case PASS -> {
                    if (verbose) {
                        out.println("PASS " + name + " (" + duration(r.durationNanos()) + ")");
                    }
                }
                case FAIL -> out.println("FAIL " + name + " (" + r.message() + ")  " + r.test().location());
                case ERROR -> out.println("ERROR " + name + ": " + r.message() + "  " + r.test().location());
                case SKIP -> {
                    if (verbose) {
                        out.println("SKIP " + name);
                    }
                }
            }
        }
        Counts c = Counts.of(results);
        out.println("policy tests: " + c.passed + " passed, " + (c.failed + c.errors) + " failed"
                + (c.errors > 0 ? " (" + c.errors + (c.errors == 1 ? " error" : " errors") + ")" : "")
                + (c.skipped > 0 ? ", " + c.skipped + " skipped" : ""));
    }

    /** An array of OPA-shaped results: location, package, name, duration (ns), fail/error/skip. */
    static void json(List<TestResult> results, PrintWriter out) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (TestResult r : results) {
            ObjectNode o = array.addObject();
            ObjectNode loc = o.putObject("location");
            loc.put("file", r.test().location().file());
            loc.put("row", r.test().location().line());
            loc.put("col", r.test().location().col());
            o.put("package", r.test().pkg());
            o.put("name", r.test().name());
            o.put("duration", r.durationNanos());
            switch (r.outcome()) {
                case FAIL -> o.put("fail", true).put("reason", r.message());
                case ERROR -> o.putObject("error").put("message", r.message());
                case SKIP -> o.put("skip", true);
                case PASS -> { }
            }
        }
        printJson(array, out);
    }

    static void printJson(com.fasterxml.jackson.databind.JsonNode value, PrintWriter out) {
        try {
            out.println(CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * JUnit XML (the schema CI servers read): a {@code testsuite} per Rego package, a
     * {@code testcase} per test with the package as {@code classname}; {@code failure} for a test
     * that evaluated to something other than true, {@code error} for one whose evaluation failed.
     */
    static void junit(List<TestResult> results, PrintWriter out) {
        Map<String, List<TestResult>> byPackage = new TreeMap<>();
        for (TestResult r : results) {
            byPackage.computeIfAbsent(r.test().pkg(), k -> new java.util.ArrayList<>()).add(r);
        }
        StringWriter buf = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(buf);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            Counts all = Counts.of(results);
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "portcullis test");
            counts(x, all);
            x.writeCharacters("\n");
            for (Map.Entry<String, List<TestResult>> e : byPackage.entrySet()) {
                Counts c = Counts.of(e.getValue());
                x.writeCharacters("  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", e.getKey());
                counts(x, c);
                x.writeCharacters("\n");
                for (TestResult r : e.getValue()) {
                    x.writeCharacters("    ");
                    boolean detail = r.outcome() != Outcome.PASS;
                    if (detail) {
                        x.writeStartElement("testcase");
                    } else {
                        x.writeEmptyElement("testcase");
                    }
                    x.writeAttribute("name", r.test().name());
                    x.writeAttribute("classname", r.test().pkg());
                    x.writeAttribute("file", r.test().location().file());
                    x.writeAttribute("line", Integer.toString(r.test().location().line()));
                    x.writeAttribute("time", seconds(r.durationNanos()));
                    if (detail) {
                        x.writeCharacters("\n      ");
                        switch (r.outcome()) {
                            case FAIL -> {
                                x.writeStartElement("failure");
                                x.writeAttribute("message", r.message());
                                x.writeAttribute("type", "rego test failure");
                                x.writeCharacters(r.test().fullName() + " at " + r.test().location() + ": " + r.message());
                                x.writeEndElement();
                            }
                            case ERROR -> {
                                x.writeStartElement("error");
                                x.writeAttribute("message", r.message());
                                x.writeAttribute("type", "rego evaluation error");
                                x.writeCharacters(r.test().fullName() + " at " + r.test().location() + ": " + r.message());
                                x.writeEndElement();
                            }
                            default -> x.writeEmptyElement("skipped");
                        }
                        x.writeCharacters("\n    ");
                        x.writeEndElement();
                    }
                    x.writeCharacters("\n");
                }
                x.writeCharacters("  ");
                x.writeEndElement();
                x.writeCharacters("\n");
            }
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        out.println(buf);
    }

    private static void counts(XMLStreamWriter x, Counts c) throws XMLStreamException {
        x.writeAttribute("tests", Integer.toString(c.total()));
        x.writeAttribute("failures", Integer.toString(c.failed));
        x.writeAttribute("errors", Integer.toString(c.errors));
        x.writeAttribute("skipped", Integer.toString(c.skipped));
        x.writeAttribute("time", seconds(c.nanos));
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
    }

    private static String duration(long nanos) {
        return String.format(Locale.ROOT, "%.3fms", nanos / 1e6);
    }

    record Counts(int passed, int failed, int errors, int skipped, long nanos) {
        static Counts of(List<TestResult> results) {
            int p = 0;
            int f = 0;
            int e = 0;
            int s = 0;
            long n = 0;
            for (TestResult r : results) {
                n += r.durationNanos();
                switch (r.outcome()) {
                    case PASS -> p++;
                    case FAIL -> f++;
                    case ERROR -> e++;
                    case SKIP -> s++;
                }
            }
            return new Counts(p, f, e, s, n);
        }

        int total() {
            return passed + failed + errors + skipped;
        }
    }
}
