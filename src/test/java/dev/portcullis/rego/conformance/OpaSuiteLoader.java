package dev.portcullis.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.rego.bundle.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds and reads OPA's conformance cases. The directory is, in order: the system property
 * {@value #PROPERTY}, the environment variable {@value #ENV}, {@code ../shared/opa-conformance/v1}
 * relative to the project root, or {@code shared/opa-conformance/v1} under a further ancestor of
 * the project root (so that git worktrees nested below the checkout find the same copy).
 */
final class OpaSuiteLoader {

    static final String PROPERTY = "opa.conformance.dir";
    static final String ENV = "OPA_CONFORMANCE_DIR";
    private static final String RELATIVE = "shared/opa-conformance/v1";

    /** {@code data.a.b = x} (or {@code data = x}): the only query shape an entrypoint can answer. */
    private static final Pattern QUERY =
            Pattern.compile("data((?:\\.[A-Za-z_][A-Za-z0-9_]*)*)\\s*=\\s*([A-Za-z_][A-Za-z0-9_]*)");

    private OpaSuiteLoader() {}

    static Path projectRoot() {
        return Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    }

    /**
     * The case directory.
     *
     * @throws IllegalStateException with instructions when it cannot be found: the gate must never
     *     pass by not running
     */
    static Path directory() {
        String explicit = System.getProperty(PROPERTY);
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv(ENV);
        }
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw missing("the directory named by " + PROPERTY + "/" + ENV + " does not exist: " + p);
            }
            return p;
        }
        List<Path> tried = new ArrayList<>();
        for (Path dir = projectRoot().getParent(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(RELATIVE);
            tried.add(p);
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw missing("not found at " + tried);
    }

    private static IllegalStateException missing(String why) {
        return new IllegalStateException("OPA conformance cases " + why + ".\n"
                + "The OPA-suite gate needs OPA's v1 conformance cases (JSON). Place them at ../" + RELATIVE
                + " relative to the project root, or point -D" + PROPERTY + "=<dir> (or the environment variable "
                + ENV + ") at the v1 directory. They are data from open-policy-agent/opa and must not be copied "
                + "into this repository.");
    }

    static List<OpaSuiteCase> load(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir, 2)) {
            files = s.filter(p -> p.toString().endsWith(".json") && p.getParent() != null
                    && !p.getParent().equals(dir)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<OpaSuiteCase> out = new ArrayList<>();
        for (Path f : files) {
            JsonNode doc;
            try {
                doc = CanonicalJson.MAPPER.readTree(f.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
            String folder = f.getParent().getFileName().toString();
            String file = folder + "/" + f.getFileName();
            int index = 0;
            for (JsonNode c : doc.path("cases")) {
                out.add(parse(file + "#" + index, folder, c));
                index++;
            }
        }
        if (out.isEmpty()) {
            throw missing("directory " + dir + " holds no cases");
        }
        return out;
    }

    private static OpaSuiteCase parse(String id, String folder, JsonNode c) {
        String note = c.path("note").asText(id);
        String query = c.path("query").asText("").strip();
        List<String> modules = new ArrayList<>();
        c.path("modules").forEach(m -> modules.add(m.asText()));
        JsonNode data = c.has("data") && !c.get("data").isNull() ? c.get("data") : CanonicalJson.MAPPER.createObjectNode();
        String notConvertible = null;
        String entrypoint = null;
        String var = null;
        Matcher m = QUERY.matcher(query);
        if (m.matches() && !m.group(2).equals("input") && !m.group(2).equals("data")) {
            String path = m.group(1);
            entrypoint = path.isEmpty() ? "" : path.substring(1).replace('.', '/');
            var = m.group(2);
        } else {
            notConvertible = "query is not of the form data.<path> = <var>";
        }
        JsonNode input = c.get("input");
        if (c.has("input_term")) {
            try {
                input = CanonicalJson.parse(c.get("input_term").asText());
            } catch (IOException e) {
                if (notConvertible == null) {
                    notConvertible = "input is a Rego term, not JSON";
                }
            }
        }
        List<JsonNode> wantResults = null;
        String wantError = null;
        boolean strict = c.path("strict_error").asBoolean(false);
        // A strict-only error comes with the result OPA gives without strict errors, when known.
        if ((c.has("want_error_code") || c.has("want_error")) && !(strict && c.has("want_result"))) {
            // the code when given; else the message without its "file:line: " location
            wantError = c.has("want_error_code") ? c.get("want_error_code").asText()
                    : c.get("want_error").asText().replaceFirst("^[^ ]+:\\d+: ", "");
        } else {
            wantResults = new ArrayList<>();
            for (JsonNode b : c.path("want_result")) {
                if (var != null && (b.size() != 1 || !b.has(var))) {
                    notConvertible = "expected bindings are not a single binding of " + var;
                }
                wantResults.add(var == null ? b : b.get(var));
            }
        }
        return new OpaSuiteCase(id, folder, note, query, entrypoint, notConvertible, List.copyOf(modules), data,
                input, wantResults == null ? null : List.copyOf(wantResults), wantError,
                strict, c.path("sort_bindings").asBoolean(false));
    }
}
