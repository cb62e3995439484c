package dev.portcullis.rego.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.cli.MainTest.Run;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** {@code portcullis test}: outcomes, --run, and the pretty, json and junit formats. */
class TestCommandTest {

    @TempDir
    Path dir;

    Path tree;

    static final String POLICY = """
            package authz

            import rego.v1

            default allow := false

            allow if input.user in data.admins

            limit := x if {
                x := input.a
            }

            limit := y if {
                y := input.b
            }
            """;

    // 3 pass, 2 fail (false, undefined), 1 error (conflicting values), 1 skipped
    static final String TESTS = """
            package authz_test

            import rego.v1

            import data.authz

            test_admin_allowed if authz.allow with input as {"user": "alice"}

            test_stranger_denied if not authz.allow with input as {"user": "mallory"}

            test_limit if authz.limit == 3 with input as {"a": 3}

            test_wrong_expectation := v if {
                v := authz.allow with input as {"user": "bob"}
            }

            test_undefined_is_a_failure if authz.limit == 1

            test_conflict_is_an_error if authz.limit with input as {"a": 1, "b": 2}

            todo_test_later if false
            """;

    @BeforeEach
    void writeTree() throws Exception {
        tree = dir.resolve("policies");
        Files.createDirectories(tree.resolve("authz"));
        Files.writeString(tree.resolve("authz/authz.rego"), POLICY);
        Files.writeString(tree.resolve("authz/authz_test.rego"), TESTS);
        Files.writeString(tree.resolve("data.json"), "{\"admins\": [\"alice\"]}");
    }

    @Test
    void prettyListsFailuresAndErrorsAndEndsWithTheCountsLine() {
        Run r = MainTest.run("test", tree.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("FAIL data.authz_test.test_wrong_expectation (got false)"), r::toString);
        assertTrue(r.out().contains("FAIL data.authz_test.test_undefined_is_a_failure (undefined)"), r::toString);
        assertTrue(r.out().contains("ERROR data.authz_test.test_conflict_is_an_error: "), r::toString);
        assertFalse(r.out().contains("PASS "), "passing tests only with -v\n" + r);
        assertEquals("policy tests: 3 passed, 3 failed (1 error), 1 skipped", lastLine(r.out()), r::toString);

        Run v = MainTest.run("test", "-v", tree.toString());
        for (String t : List.of("test_admin_allowed", "test_stranger_denied", "test_limit")) {
            assertTrue(v.out().contains("PASS data.authz_test." + t + " ("), v::toString);
        }
        assertTrue(v.out().contains("SKIP data.authz_test.todo_test_later"), v::toString);
    }

    @Test
    void runSelectsTestsByFullNameLikeOpa() {
        Run r = MainTest.run("test", "-v", "--run", "authz_test\\.test_(admin|limit)", tree.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("PASS data.authz_test.test_admin_allowed"), r::toString);
        assertTrue(r.out().contains("PASS data.authz_test.test_limit"), r::toString);
        assertEquals("policy tests: 2 passed, 0 failed", lastLine(r.out()), r::toString);

        // an unanchored find, as Go's MatchString
        Run partial = MainTest.run("test", "-r", "wrong", tree.toString());
        assertEquals(1, partial.code(), partial::toString);
        assertEquals("policy tests: 0 passed, 1 failed", lastLine(partial.out()), partial::toString);

        Run none = MainTest.run("test", "--run", "no_such_test", tree.toString());
        assertEquals(2, none.code(), none::toString);
        assertTrue(none.err().contains("no test matches --run 'no_such_test'"), none::toString);

        Run bad = MainTest.run("test", "--run", "test_(", tree.toString());
        assertEquals(2, bad.code(), bad::toString);
        assertTrue(bad.err().contains("invalid --run regular expression"), bad::toString);
    }

    @Test
    void jsonHasOneOpaShapedObjectPerTest() throws Exception {
        Run r = MainTest.run("test", "--format", "json", tree.toString());
        assertEquals(1, r.code(), r::toString);
        JsonNode results = CanonicalJson.parse(r.out());
        assertEquals(7, results.size(), r::toString);
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode t : results) {
            assertEquals("data.authz_test", t.get("package").asText());
            assertTrue(t.get("location").get("file").asText().endsWith("authz_test.rego"));
            assertTrue(t.get("duration").isIntegralNumber());
            byName.put(t.get("name").asText(), t);
        }
        assertFalse(byName.get("test_admin_allowed").has("fail"));
        assertFalse(byName.get("test_admin_allowed").has("error"));
        assertEquals(7, byName.get("test_admin_allowed").get("location").get("row").asInt());
        assertTrue(byName.get("test_wrong_expectation").get("fail").asBoolean());
        assertTrue(byName.get("test_undefined_is_a_failure").get("fail").asBoolean());
        assertTrue(byName.get("test_conflict_is_an_error").get("error").get("message").asText().contains("conflict"));
        assertTrue(byName.get("todo_test_later").get("skip").asBoolean());
    }

    @Test
    void junitXmlHasATestcasePerTestWithFailuresAndCounts() throws Exception {
        Files.writeString(tree.resolve("authz/other_test.rego"), """
                package other_test

                import rego.v1

                test_arithmetic if 1 + 1 == 2
                """);
        Run r = MainTest.run("test", "--format", "junit", tree.toString());
        assertEquals(1, r.code(), r::toString);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(r.out())));
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("8", root.getAttribute("tests"));
        assertEquals("2", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("errors"));
        assertEquals("1", root.getAttribute("skipped"));

        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(2, suites.getLength());
        Element authz = (Element) suites.item(0);
        assertEquals("data.authz_test", authz.getAttribute("name"));
        assertEquals("7", authz.getAttribute("tests"));
        assertEquals("2", authz.getAttribute("failures"));
        assertEquals("1", authz.getAttribute("errors"));
        Element other = (Element) suites.item(1);
        assertEquals("data.other_test", other.getAttribute("name"));
        assertEquals("1", other.getAttribute("tests"));
        assertEquals("0", other.getAttribute("failures"));

        NodeList cases = root.getElementsByTagName("testcase");
        assertEquals(8, cases.getLength());
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            assertTrue(c.getAttribute("classname").equals("data.authz_test") || c.getAttribute("classname").equals("data.other_test"));
            if (c.getElementsByTagName("failure").getLength() > 0) {
                failed.add(c.getAttribute("name") + ":" + ((Element) c.getElementsByTagName("failure").item(0)).getAttribute("message"));
            }
            if (c.getAttribute("name").equals("test_conflict_is_an_error")) {
                assertEquals(1, c.getElementsByTagName("error").getLength());
            }
            if (c.getAttribute("name").equals("todo_test_later")) {
                assertEquals(1, c.getElementsByTagName("skipped").getLength());
            }
        }
        assertEquals(List.of("test_wrong_expectation:got false", "test_undefined_is_a_failure:undefined"), failed);
    }

    @Test
    void everyDefinitionOfADuplicatedTestNameRunsOnItsOwn() throws Exception {
        Files.writeString(tree.resolve("authz/authz_test.rego"), """
                package authz_test

                import rego.v1

                test_same if 1 == 1

                test_same if 1 == 2

                test_same if {
                    2 == 2
                }
                """);
        Run r = MainTest.run("test", "-v", tree.toString());
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().contains("PASS data.authz_test.test_same ("), r::toString);
        assertTrue(r.out().contains("FAIL data.authz_test.test_same#01 (undefined)"), r::toString);
        assertTrue(r.out().contains("PASS data.authz_test.test_same#02 ("), r::toString);
        assertEquals("policy tests: 2 passed, 1 failed", lastLine(r.out()), r::toString);
    }

    @Test
    void compileErrorsAndEmptyTreesExit2() throws Exception {
        Files.writeString(tree.resolve("authz/broken_test.rego"), "package broken_test\n\ntest_x if {\n    y == 1\n}\n");
        Run r = MainTest.run("test", tree.toString());
        assertEquals(2, r.code(), r::toString);
        assertTrue(r.err().contains("broken_test.rego:4:"), r::toString);
        assertTrue(r.out().isEmpty(), r::toString);

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("p.rego"), "package p\n\nx := 1\n");
        Run none = MainTest.run("test", empty.toString());
        assertEquals(2, none.code(), none::toString);
        assertTrue(none.err().contains("no test_* rules found"), none::toString);
    }

    @Test
    void coverageReportsEvaluatedExpressionsAndRuleHeadsLikeOpa() throws Exception {
        Path cov = dir.resolve("cov");
        Files.createDirectories(cov);
        Path policy = cov.resolve("cov.rego");
        Files.writeString(policy, """
                package cov

                import rego.v1

                allow if {
                    input.user == "alice"
                    input.action == "read"
                }

                deny if {
                    input.user == "mallory"
                }

                unused if {
                    input.x > 1
                }
                """);
        Path tests = cov.resolve("cov_test.rego");
        Files.writeString(tests, """
                package cov_test

                import rego.v1

                import data.cov

                test_allow if cov.allow with input as {"user": "alice", "action": "read"}

                test_not_deny if not cov.deny with input as {"user": "bob"}
                """);
        Run r = MainTest.run("test", "--coverage", cov.toString());
        assertEquals(0, r.code(), r::toString);
        JsonNode report = CanonicalJson.parse(r.out());
        JsonNode file = report.get("files").get(policy.toString());
        // heads of rules that produced a value and every evaluated expression are covered;
        // the failing rule's head, and the rule never evaluated, are not
        assertEquals(CanonicalJson.parse("""
                [{"start": {"row": 5}, "end": {"row": 7}}, {"start": {"row": 11}, "end": {"row": 11}}]"""),
                file.get("covered"), r::toString);
        assertEquals(CanonicalJson.parse("""
                [{"start": {"row": 10}, "end": {"row": 10}}, {"start": {"row": 14}, "end": {"row": 15}}]"""),
                file.get("not_covered"), r::toString);
        assertEquals(4, file.get("covered_lines").asInt());
        assertEquals(3, file.get("not_covered_lines").asInt());
        assertEquals(100.0 * 4 / 7, file.get("coverage").asDouble(), 1e-9);

        JsonNode testFile = report.get("files").get(tests.toString());
        assertEquals(CanonicalJson.parse("""
                [{"start": {"row": 7}, "end": {"row": 7}}, {"start": {"row": 9}, "end": {"row": 9}}]"""),
                testFile.get("covered"), r::toString);
        assertFalse(testFile.has("not_covered"), r::toString);
        assertEquals(100, testFile.get("coverage").asInt());

        assertEquals(6, report.get("covered_lines").asInt());
        assertEquals(3, report.get("not_covered_lines").asInt());
        assertEquals(100.0 * 6 / 9, report.get("coverage").asDouble(), 1e-9);

        // a failing run prints its failures, not a report
        Files.writeString(tests, Files.readString(tests) + "\ntest_wrong if cov.deny with input as {\"user\": \"bob\"}\n");
        Run failing = MainTest.run("test", "--coverage", cov.toString());
        assertEquals(1, failing.code(), failing::toString);
        assertTrue(failing.out().contains("FAIL data.cov_test.test_wrong"), failing::toString);
        assertFalse(failing.out().contains("\"files\""), failing::toString);
    }

    @Test
    void coverageBuildsAreTheOnlyOnesWithTheHook() throws Exception {
        List<dev.portcullis.rego.RegoCompiler.Source> src = List.of(new dev.portcullis.rego.RegoCompiler.Source("p.rego",
                "package p\n\nimport rego.v1\n\nallow if input.x == 1\n"));
        byte[] plain = dev.portcullis.rego.RegoCompiler.compile(src, List.of("p/allow")).wasm();
        byte[] covered = dev.portcullis.rego.RegoCompiler.compile(src, List.of("p/allow"), true).wasm();
        String hook = dev.portcullis.rego.plan.CoverageHook.BUILTIN;
        assertFalse(new String(plain, java.nio.charset.StandardCharsets.ISO_8859_1).contains(hook));
        assertTrue(new String(covered, java.nio.charset.StandardCharsets.ISO_8859_1).contains(hook));
    }

    static String lastLine(String out) {
        List<String> lines = out.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
