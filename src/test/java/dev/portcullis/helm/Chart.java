package dev.portcullis.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/** The chart in {@code helm/portcullis}, linted and rendered by Helm itself (helm-java), parsed as YAML. */
public final class Chart {

    public static final Path DIR = Path.of("helm", "portcullis");
    public static final Path VALUES = DIR.resolve("values.yaml");
    public static final Path PROD_VALUES = DIR.resolve("values-prod.yaml");

    static final YAMLMapper YAML = new YAMLMapper();

    private Chart() {}

    /** The rendered objects of {@code helm template} with the given values files and --set pairs. */
    public static Rendered template(List<Path> valuesFiles, Map<String, Object> sets) {
        var cmd = new Helm(DIR).template().withName("gate").withNamespace("governance");
        for (Path v : valuesFiles) {
            cmd = cmd.withValuesFile(v.toAbsolutePath());
        }
        for (Map.Entry<String, Object> s : sets.entrySet()) {
            cmd = cmd.set(s.getKey(), s.getValue());
        }
        return Rendered.parse(cmd.call());
    }

    /** {@code helm lint --strict} of the chart with its own values.yaml replaced by {@code values} (deep-merged over it). */
    public static LintResult lint(Path overlay) {
        try {
            Path copy = Files.createTempDirectory("portcullis-chart-");
            copyTree(DIR, copy.resolve("portcullis"));
            if (overlay != null) {
                JsonNode merged = merge(YAML.readTree(VALUES.toFile()), YAML.readTree(overlay.toFile()));
                YAML.writeValue(copy.resolve("portcullis").resolve("values.yaml").toFile(), merged);
            }
            return new Helm(copy.resolve("portcullis")).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Helm's values merge: maps merge key by key, anything else is replaced. */
    static JsonNode merge(JsonNode base, JsonNode over) {
        if (base instanceof ObjectNode b && over instanceof ObjectNode o) {
            ObjectNode out = b.deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), merge(b.get(e.getKey()), e.getValue()));
            }
            return out;
        }
        return over == null ? base : over.deepCopy();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    /** The objects of one rendering. */
    public record Rendered(String text, List<JsonNode> objects) {

        static Rendered parse(String text) {
            List<JsonNode> out = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(text)) {
                var mapper = new ObjectMapper(new YAMLFactory());
                var it = mapper.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode n = it.next();
                    if (n != null && !n.isNull() && !n.isMissingNode()) {
                        out.add(n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("helm template output is not YAML: " + e.getMessage(), e);
            }
            return new Rendered(text, List.copyOf(out));
        }

        public List<JsonNode> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
        }

        public JsonNode one(String kind) {
            List<JsonNode> l = ofKind(kind);
            if (l.size() != 1) {
                throw new AssertionError("expected exactly one " + kind + ", rendered " + l.size());
            }
            return l.get(0);
        }

        public JsonNode container() {
            return one("Deployment").at("/spec/template/spec/containers/0");
        }

        /** The service's application.properties as the ConfigMap delivers it. */
        public Properties applicationProperties() {
            Properties p = new Properties();
            try {
                p.load(new java.io.StringReader(one("ConfigMap").path("data").path("application.properties").asText()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }
    }
}
