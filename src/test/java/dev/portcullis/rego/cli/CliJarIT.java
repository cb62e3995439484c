package dev.portcullis.rego.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.rego.bundle.Bundle;
import dev.portcullis.rego.bundle.BundleDigest;
import dev.portcullis.rego.bundle.BundleReader;
import dev.portcullis.rego.bundle.BundleSigner;
import dev.portcullis.rego.bundle.CanonicalJson;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Runs the PACKAGED {@code target/portcullis-cli.jar} as a subprocess (Failsafe, after
 * {@code package}): every command of the README's CLI block exactly as written, then the failure
 * exit codes. A missing jar fails the test: the point is to prove what users run.
 */
class CliJarIT {

    static final String JAR_IN_README = "target/portcullis-cli.jar";

    static Path jar;
    static Path repo;

    @TempDir
    static Path work;

    static KeyPair releaseKey;

    record Run(String command, int code, String out, String err) {
        /** the file the command's stdout goes to ({@code > file}), if any */
        String redirectedTo() {
            Matcher m = Pattern.compile(">\\s*(\\S+)\\s*$").matcher(command);
            return m.find() ? m.group(1) : null;
        }

        @Override
        public String toString() {
            return "$ " + command + "\nexit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void packagedJarAndWorkspace() throws Exception {
        repo = Path.of(System.getProperty("portcullis.basedir", System.getProperty("user.dir"))).toAbsolutePath();
        jar = Path.of(System.getProperty("portcullis.cli.jar", repo.resolve(JAR_IN_README).toString()));
        if (!Files.isRegularFile(jar)) {
            fail("the packaged CLI jar " + jar + " does not exist: run `./mvnw package` (Failsafe runs after it)");
        }
        // The README's commands run from the repository root; a scratch copy keeps the checkout clean.
        copyTree(repo.resolve("policies"), work.resolve("policies"));
        Files.createDirectories(work.resolve("target"));
        Files.copy(jar, work.resolve(JAR_IN_README));
        releaseKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(work.resolve("release.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(releaseKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    }

    // ---- the README, as written ----

    @Test
    void everyReadmeCommandWorksFromThePackagedJar() throws Exception {
        List<String> commands = readmeCommands(Files.readString(repo.resolve("README.md")));
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("java -jar")), "README has no CLI commands: " + commands);
        TreeSet<String> subcommandsSeen = new TreeSet<>();
        for (String command : commands) {
            Run r = shell(command);
            if (!command.startsWith("java -jar " + JAR_IN_README + " ")) {
                assertEquals(0, r.code(), r::toString); // setup lines such as `echo … > input.json`
                continue;
            }
            List<String> args = List.of(command.substring(("java -jar " + JAR_IN_README + " ").length())
                    .replaceFirst("\\s*>.*$", "").split("\\s+"));
            String sub = args.get(0);
            subcommandsSeen.add(sub);
            for (String flag : List.of("--signing-key", "--coverage", "--format", "--run")) {
                if (args.contains(flag)) {
                    subcommandsSeen.add(sub + " " + flag);
                }
            }
            switch (sub) {
                case "build" -> checkBuild(r, args);
                case "eval" -> checkEval(r, args);
                case "inspect" -> checkInspect(r, args);
                case "test" -> checkTest(r, args);
                case "sign" -> checkSign(r, args);
                default -> fail("README command with no check in CliJarIT: " + command);
            }
        }
        // the README must keep showing every command (a deleted line would silently shrink this test)
        assertEquals(new TreeSet<>(List.of("build", "build --signing-key", "eval", "inspect", "sign", "sign --signing-key",
                "test", "test --coverage", "test --format", "test --run")), subcommandsSeen);
    }

    private static void checkBuild(Run r, List<String> args) throws Exception {
        assertEquals(0, r.code(), r::toString);
        Path out = work.resolve(option(args, "-o"));
        byte[] bytes = Files.readAllBytes(out);
        Bundle b = BundleReader.read(bytes);
        assertEquals(option(args, "--revision"), b.manifest().revision(), r::toString);
        assertEquals(options(args, "-e"), b.manifest().entrypoints(), r::toString);
        if (args.contains("--signing-key")) {
            assertTrue(b.signaturesJson().isPresent(), r::toString);
            BundleSigner.readVerified(bytes, releaseKey.getPublic());
        } else {
            assertTrue(b.signaturesJson().isEmpty(), r::toString);
        }
    }

    private static void checkSign(Run r, List<String> args) throws Exception {
        assertEquals(0, r.code(), r::toString);
        byte[] signed = Files.readAllBytes(work.resolve(option(args, "-o")));
        Bundle b = BundleSigner.readVerified(signed, releaseKey.getPublic());
        Bundle original = BundleReader.read(Files.readAllBytes(work.resolve(args.get(args.size() - 1))));
        assertEquals(original.withoutSignatures().manifest(), b.withoutSignatures().manifest(), r::toString);
        assertTrue(r.out().startsWith(BundleDigest.sha256Hex(signed) + "  "), r::toString);
    }

    private static void checkEval(Run r, List<String> args) throws Exception {
        assertEquals(0, r.code(), r::toString);
        JsonNode printed = CanonicalJson.parse(r.out());
        assertTrue(printed.isArray() && printed.size() == 1 && printed.get(0).has("result"),
                () -> "expected a defined result set: " + r);
        // the same bundle evaluated in-process by the library must agree with the jar
        Bundle b = BundleReader.read(Files.readAllBytes(work.resolve(option(args, "-b"))));
        OpaPolicy policy = OpaPolicy.builder().withPolicy(b.policyWasm()).build();
        policy.data(new String(b.dataJson(), StandardCharsets.UTF_8));
        policy.entrypoint(option(args, "-e"));
        String input = CanonicalJson.toString(CanonicalJson.parse(Files.readAllBytes(work.resolve(option(args, "-i")))));
        assertEquals(CanonicalJson.parse(policy.evaluate(input)), printed, r::toString);
    }

    private static void checkInspect(Run r, List<String> args) throws Exception {
        assertEquals(0, r.code(), r::toString);
        byte[] bytes = Files.readAllBytes(work.resolve(args.get(args.size() - 1)));
        Bundle b = BundleReader.read(bytes);
        assertTrue(r.out().contains(BundleDigest.sha256Hex(bytes)), r::toString);
        assertTrue(r.out().contains("Revision:    " + b.manifest().revision()), r::toString);
        for (String ep : b.manifest().entrypoints()) {
            assertTrue(r.out().contains(ep), r::toString);
        }
    }

    private static void checkTest(Run r, List<String> args) throws Exception {
        assertEquals(0, r.code(), r::toString);
        List<String> expected = regoTestNames(work.resolve(args.get(args.size() - 1)));
        List<String> run = options(args, "--run");
        if (!run.isEmpty()) {
            Pattern re = Pattern.compile(run.get(0).replaceAll("^'|'$", ""));
            expected = expected.stream().filter(t -> re.matcher(t).find()).toList();
        }
        assertFalse(expected.isEmpty(), r::toString);
        List<String> format = options(args, "--format");
        String output = r.redirectedTo() == null ? r.out() : Files.readString(work.resolve(r.redirectedTo()));
        if (args.contains("--coverage")) {
            JsonNode report = CanonicalJson.parse(output);
            TreeSet<String> files = new TreeSet<>();
            report.get("files").fieldNames().forEachRemaining(files::add);
            TreeSet<String> rego = new TreeSet<>();
            try (Stream<Path> s = Files.walk(work.resolve(args.get(args.size() - 1)))) {
                s.filter(f -> f.toString().endsWith(".rego")).forEach(f -> rego.add(work.relativize(f).toString()));
            }
            assertEquals(rego, files, r::toString);
            int covered = report.get("covered_lines").asInt();
            int notCovered = report.get("not_covered_lines").asInt();
            assertTrue(covered > 0, r::toString);
            assertEquals(100.0 * covered / (covered + notCovered), report.get("coverage").asDouble(), 1e-9, r::toString);
            return;
        }
        if (format.equals(List.of("junit"))) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(output)));
            assertEquals(Integer.toString(expected.size()), doc.getDocumentElement().getAttribute("tests"), r::toString);
            assertEquals("0", doc.getDocumentElement().getAttribute("failures"), r::toString);
            NodeList cases = doc.getElementsByTagName("testcase");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                names.add(c.getAttribute("classname") + "." + c.getAttribute("name"));
            }
            assertEquals(expected, names.stream().sorted().toList(), r::toString);
            return;
        }
        assertEquals(List.of(), format, "no check for this --format in CliJarIT");
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("policy tests: " + expected.size() + " passed, 0 failed", last, r::toString);
        if (args.contains("-v")) {
            for (String t : expected) {
                assertTrue(output.contains("PASS " + t + " ("), () -> t + " not listed\n" + r);
            }
        }
    }

    // ---- failure exit codes through the real process exit ----

    @Test
    void failuresExitWithTheDocumentedCodes() throws Exception {
        Path p = work.resolve("failing");
        Files.createDirectories(p);
        Files.writeString(p.resolve("p.rego"), "package p\n\nimport rego.v1\n\nx := input.a + 1\n");
        Files.writeString(p.resolve("p_test.rego"), "package p_test\n\nimport rego.v1\n\nimport data.p\n\n"
                + "test_good if p.x == 2 with input as {\"a\": 1}\n\ntest_bad if p.x == 3 with input as {\"a\": 1}\n");
        Run failing = shell("java -jar " + JAR_IN_README + " test failing/");
        assertEquals(1, failing.code(), failing::toString);
        assertTrue(failing.out().contains("FAIL data.p_test.test_bad"), failing::toString);
        assertTrue(failing.out().strip().endsWith("1 passed, 1 failed"), failing::toString);

        Path broken = work.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("b.rego"), "package b\n\nallow if {\n    z == 1\n}\n");
        Run compileError = shell("java -jar " + JAR_IN_README + " build -e b/allow -o never.tar.gz broken/");
        assertEquals(2, compileError.code(), compileError::toString);
        assertTrue(compileError.err().lines().anyMatch(l -> l.matches("broken/b\\.rego:4:\\d+: rego_[a-z_]+_error: .*")),
                compileError::toString);
        assertFalse(Files.exists(work.resolve("never.tar.gz")));

        Run usage = shell("java -jar " + JAR_IN_README + " eval --no-such-flag");
        assertEquals(2, usage.code(), usage::toString);

        Files.writeString(p.resolve("c.rego"), "package c\n\nimport rego.v1\n\nx := 1 if input.a\n\nx := 2 if input.b\n");
        assertEquals(0, shell("java -jar " + JAR_IN_README + " build -e c/x -o c.tar.gz failing/c.rego").code());
        Files.writeString(work.resolve("both.json"), "{\"a\": true, \"b\": true}");
        Run conflict = shell("java -jar " + JAR_IN_README + " eval -b c.tar.gz -e c/x -i both.json");
        assertEquals(1, conflict.code(), conflict::toString);
        assertTrue(conflict.err().contains("conflict"), conflict::toString);
    }

    // ---- helpers ----

    /** The lines of the first {@code sh} block of the README's CLI section, comments stripped. */
    static List<String> readmeCommands(String readme) {
        int section = readme.indexOf("## The compiler CLI");
        assertTrue(section >= 0, "README has no '## The compiler CLI' section");
        int open = readme.indexOf("```sh\n", section);
        int close = readme.indexOf("\n```", open + 6);
        assertTrue(open > 0 && close > open, "the CLI section has no ```sh block");
        List<String> commands = new ArrayList<>();
        for (String line : readme.substring(open + 6, close).split("\n")) {
            String c = line.replaceFirst("\\s+#\\s.*$", "").strip();
            if (!c.isEmpty()) {
                commands.add(c);
            }
        }
        return commands;
    }

    /** {@code data.<package>.<rule>} of every {@code test_*} rule under root, read from the sources. */
    static List<String> regoTestNames(Path root) throws IOException {
        Pattern pkg = Pattern.compile("(?m)^package\\s+([\\w.]+)");
        Pattern test = Pattern.compile("(?m)^(test_\\w+)\\b");
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".rego")).toList()) {
                String text = Files.readString(f);
                Matcher pm = pkg.matcher(text);
                assertTrue(pm.find(), f + " has no package");
                Matcher tm = test.matcher(text);
                while (tm.find()) {
                    names.add("data." + pm.group(1) + "." + tm.group(1));
                }
            }
        }
        return List.copyOf(names);
    }

    private static String option(List<String> args, String name) {
        List<String> v = options(args, name);
        assertEquals(1, v.size(), () -> name + " in " + args);
        return v.get(0);
    }

    private static List<String> options(List<String> args, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals(name)) {
                values.add(args.get(i + 1));
            }
        }
        return values;
    }

    static Run shell(String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(work.toFile());
        // `java` in the README is the JDK running this test
        Map<String, String> env = pb.environment();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("timed out: " + command);
        }
        Run r = new Run(command, process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Map<Path, Path> copies = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(f -> copies.put(f, to.resolve(from.relativize(f).toString())));
        }
        for (Map.Entry<Path, Path> e : copies.entrySet()) {
            if (Files.isDirectory(e.getKey())) {
                Files.createDirectories(e.getValue());
            } else {
                Files.copy(e.getKey(), e.getValue(), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
