package dev.portcullis.rego.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.rego.RegoCompiler;
import dev.portcullis.rego.bundle.CanonicalJson;
import dev.portcullis.rego.diag.CompileException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks the compiled conformance policies with the official npm SDK
 * ({@code @open-policy-agent/opa-wasm@1.10.0}): every result/error case is compiled into
 * {@code target/conformance-npm/<NNNN-name>/} (policy.wasm, data.json, input.json when the case has
 * input, expect.json), then {@code node src/test/node/crosscheck.mjs target/conformance-npm} must exit 0.
 *
 * <p>Without {@code node} on the PATH the test fails when {@code CI=true}, and is otherwise skipped
 * (JUnit assumption) after a loud warning on stderr.
 */
class NpmSdkCrossCheckTest {

    static final String NOT_RUN = "NPM SDK CROSS-CHECK NOT RUN: node not found on PATH";

    @Test
    void npmSdkAgreesWithExpectations() throws Exception {
        Path base = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
        Path nodeDir = base.resolve("src/test/node");
        Path outDir = base.resolve("target/conformance-npm");

        Optional<Path> node = onPath("node");
        if (node.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(NOT_RUN + " (CI=true: the cross-check is mandatory in CI)");
            }
            System.err.println();
            System.err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            System.err.println("!!! " + NOT_RUN);
            System.err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            System.err.println();
            Assumptions.abort(NOT_RUN);
        }

        List<ConformanceCase> cases = ConformanceSuite.load();
        deleteRecursively(outDir);
        Files.createDirectories(outDir);
        List<String> notCompiled = new ArrayList<>();
        int written = 0;
        int hostSkipped = 0;
        int seq = 0;
        for (ConformanceCase c : cases) {
            seq++;
            if (c.problem() != null || c.kind() == ConformanceCase.Kind.COMPILE_ERROR) {
                continue;
            }
            if (c.hostBuiltins()) {
                hostSkipped++; // the npm SDK has no implementation of Portcullis' host builtins
                continue;
            }
            RegoCompiler.Result r;
            try {
                r = ConformanceSuite.compile(c);
            } catch (CompileException e) {
                notCompiled.add(c.displayName() + ":" + ConformanceSuite.describe(e));
                continue;
            } catch (RuntimeException e) {
                notCompiled.add(c.displayName() + ": " + e);
                continue;
            }
            Path d = outDir.resolve(String.format("%04d-%s", seq, slug(c.name())));
            Files.createDirectories(d);
            Files.write(d.resolve("policy.wasm"), r.wasm());
            Files.write(d.resolve("data.json"), CanonicalJson.toBytes(c.data()));
            if (c.hasInput()) {
                Files.write(d.resolve("input.json"), CanonicalJson.toBytes(c.input()));
            }
            ObjectNode expect = JsonNodeFactory.instance.objectNode();
            expect.put("name", c.name());
            expect.put("file", c.file());
            expect.put("query", c.query());
            if (c.kind() == ConformanceCase.Kind.ERROR) {
                expect.put("want_error", c.wantError());
            } else {
                expect.set("want_result", c.wantResult());
            }
            Files.write(d.resolve("expect.json"), CanonicalJson.toBytes(expect));
            written++;
        }

        String npmOutput = "";
        if (!Files.isDirectory(nodeDir.resolve("node_modules/@open-policy-agent/opa-wasm"))) {
            Optional<Path> npm = onPath("npm");
            if (npm.isEmpty()) {
                fail("node is on the PATH but npm is not; cannot install the SDK (run 'npm ci' in " + nodeDir + ")");
            }
            Proc ci = exec(nodeDir, 600, npm.get().toString(), "ci", "--no-audit", "--no-fund");
            npmOutput = ci.output;
            assertEquals(0, ci.exit, () -> "npm ci failed in " + nodeDir + ":\n" + ci.output);
        }

        Proc check = written == 0 ? null
                : exec(nodeDir, 900, node.get().toString(), "crosscheck.mjs", outDir.toString());
        if (check != null) {
            System.out.println(check.output);
        }
        System.out.println("crosscheck: skipped " + hostSkipped + " case(s) marked host_builtins (Java-only builtins)");
        StringBuilder problems = new StringBuilder();
        if (!notCompiled.isEmpty()) {
            problems.append(notCompiled.size()).append(" result/error case(s) did not compile, so were not cross-checked:\n  ")
                    .append(String.join("\n  ", notCompiled.subList(0, Math.min(30, notCompiled.size()))))
                    .append(notCompiled.size() > 30 ? "\n  ..." : "").append('\n');
        }
        if (written == 0) {
            problems.append("no case was cross-checked\n");
        } else if (check.exit != 0) {
            problems.append("crosscheck.mjs exited ").append(check.exit).append(":\n").append(tail(check.output, 20000));
        }
        if (problems.length() > 0) {
            fail(npmOutput + problems);
        }
        assertTrue(check.output.contains("crosscheck: " + written + " passed, 0 failed"), check.output);
    }

    private record Proc(int exit, String output) {}

    private static Proc exec(Path dir, long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("crosscheck", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Proc(-1, String.join(" ", cmd) + " timed out after " + timeoutSeconds + "s\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Proc(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static Optional<Path> onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Paths.get(dir, exe);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static String slug(String name) {
        String s = name.toLowerCase().replaceAll("[^a-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return s.length() > 60 ? s.substring(0, 60) : s;
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "...\n" + s.substring(s.length() - max);
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
