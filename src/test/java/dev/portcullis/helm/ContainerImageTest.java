package dev.portcullis.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image cannot be built here (its base image is not reachable), so CI checks that both ways of building it —
 * src/main/docker/Dockerfile.jvm and the Jib settings in application.properties — agree with what the chart
 * expects of it: the non-root user, the port, the name; and that a normal build does not try to build an image.
 */
class ContainerImageTest {

    static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");

    @Test
    void dockerfileAndJibAgreeWithTheChart() throws IOException {
        String docker = Files.readString(DOCKERFILE);
        Properties app = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            app.load(in);
        }
        JsonNode values = Chart.YAML.readTree(Chart.VALUES.toFile());
        Chart.Rendered r = Chart.template(List.of(), Map.of());

        String user = values.at("/securityContext/runAsUser").asText();
        assertEquals(user, single(docker, "(?m)^USER\\s+(\\S+)"), "Dockerfile USER");
        assertEquals(user, app.getProperty("quarkus.jib.user"), "Jib user");
        assertEquals(user, r.one("Deployment").at("/spec/template/spec/securityContext/runAsUser").asText());

        String port = values.path("httpPort").asText();
        assertEquals(port, single(docker, "(?m)^EXPOSE\\s+(\\d+)"));
        assertEquals(port, app.getProperty("quarkus.jib.ports"));

        assertEquals(values.at("/image/repository").asText(), app.getProperty("quarkus.container-image.name"));
        assertEquals("false", app.getProperty("quarkus.container-image.build"), "a normal build builds no image");

        // the same JDK line on both paths: Dockerfile base and Jib base
        String dockerBase = single(docker, "(?m)^FROM\\s+(\\S+)");
        String jibBase = app.getProperty("quarkus.jib.base-jvm-image");
        assertEquals(family(dockerBase), family(jibBase), dockerBase + " vs " + jibBase);

        // the Dockerfile copies the fast-jar layout the build produces
        for (String dir : List.of("lib/", "app/", "quarkus/")) {
            assertTrue(docker.contains("target/quarkus-app/" + dir), dir);
        }
        assertTrue(docker.contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\""));
    }

    /** {@code registry/ubi9/openjdk-17-runtime:1.23} → {@code ubi9/openjdk-17}. */
    private static String family(String image) {
        Matcher m = Pattern.compile("/(ubi\\d+/openjdk-\\d+)").matcher(image);
        assertTrue(m.find(), image);
        return m.group(1);
    }

    private static String single(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        String v = m.group(1);
        assertTrue(!m.find(), "more than one match of " + regex);
        return v;
    }
}
