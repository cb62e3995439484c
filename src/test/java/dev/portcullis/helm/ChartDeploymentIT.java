package dev.portcullis.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.portcullis.gate.decisionlog.LogReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documented production setup, end to end, on the packaged application: a release key generated here (never
 * in the repository) signs the released bundle with {@code release/sign-bundle.sh}; the chart is rendered with
 * {@code values-prod.yaml}; then the pod is emulated from the rendered objects — the ConfigMap and the Secrets
 * become files at their mount paths (under a temporary root), the container's environment is passed as rendered,
 * Secret references are resolved — and {@code target/quarkus-app/quarkus-run.jar} is started with it on a
 * PostgreSQL database of its own. It must pass its startup, liveness and readiness probes on the rendered paths,
 * with the signed bundle active and the unsigned one refused.
 */
class ChartDeploymentIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PG = System.getProperty("portcullis.it.postgres", "127.0.0.1:5432");
    static final String CLIENT_TOKEN = "it-client-" + Long.toHexString(System.nanoTime());
    static final String KEY_NAME = "release-2026a.pem";

    /** The request of the README's quick start. */
    static final String README_DECISION = "{\"policy\":\"gate/incidents/transition/decision\",\"input\":{\"incident\":"
            + "{\"sev\":\"SEV2\",\"status\":\"declared\",\"ic\":\"ana\",\"tech_lead\":\"bo\",\"scribe\":\"cy\","
            + "\"policy_flags\":[\"none\"]},\"transition\":{\"to\":\"mitigating\"},\"actor\":{\"roles\":[\"ic\"]}}}";

    static final String LOG_TOKEN = "it-log-" + Long.toHexString(System.nanoTime());
    static LogReceiver receiver;
    static Path work;
    static String database;
    static Process service;
    static Path log;
    static int port;
    static Chart.Rendered rendered;
    static String revision;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void deploy() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), "run after package: " + jar + " is missing");
        work = Files.createTempDirectory("portcullis-pod-");
        revision = pomRevision();

        // 1. the release: a key that exists only here signs the bundle CI built
        KeyPair release = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path keyFile = work.resolve("release-keys").resolve(KEY_NAME);
        Files.createDirectories(keyFile.getParent());
        Files.writeString(keyFile, pem("PRIVATE KEY", release.getPrivate().getEncoded()));
        Path published = work.resolve("published");
        ProcessBuilder sign = new ProcessBuilder("bash", "release/sign-bundle.sh", "", published.toString())
                .redirectErrorStream(true);
        sign.environment().put("PORTCULLIS_SIGNING_KEY_FILE", keyFile.toString());
        Process p = sign.start();
        String signOut = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, signOut);
        assertTrue(Files.isRegularFile(published.resolve("portcullis").resolve(revision + ".tar.gz")), signOut);
        // the unsigned build output next to it, under another name: production must refuse it
        Files.createDirectories(published.resolve("unsigned"));
        Files.copy(Path.of("bundles", "portcullis", revision + ".tar.gz"),
                published.resolve("unsigned").resolve(revision + ".tar.gz"));

        // 2. the cluster side: a database and the three Secrets the chart references
        database = "portcullis_it_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG + "/postgres", "postgres", "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("this test needs PostgreSQL at " + PG + " (user postgres, trust auth; "
                    + "-Dportcullis.it.postgres=host:port): " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> secrets = Map.of(
                "portcullis-db-credentials", Map.of("username", "postgres", "password", ""),
                "portcullis-api-tokens", Map.of("tokens.properties",
                        "portcullis.auth.tokens.\"" + CLIENT_TOKEN + "\"=it-pipeline:client,responder\n"),
                "portcullis-bundle-keys", Map.of(KEY_NAME, pem("PUBLIC KEY", release.getPublic().getEncoded())),
                "portcullis-decision-log", Map.of("token", LOG_TOKEN));

        // 3. the chart as production renders it, on a free port and the test database
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ServerSocket s = new ServerSocket(0)) {
            receiver = new LogReceiver(s.getLocalPort());
        }
        receiver.start();
        rendered = Chart.template(List.of(Chart.PROD_VALUES), Map.of(
                "httpPort", port,
                "decisionLog.url", "http://127.0.0.1:" + receiver.port + "/logs",
                "database.jdbcUrl", "jdbc:postgresql://" + PG + "/" + database));

        // 4. the pod: volumes become files under work/pod, the container gets its rendered environment
        Path root = work.resolve("pod");
        JsonNode podSpec = rendered.one("Deployment").at("/spec/template/spec");
        JsonNode container = rendered.container();
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode m : container.path("volumeMounts")) {
            String mountPath = m.path("mountPath").asText();
            Path dir = root.resolve(mountPath.substring(1));
            Files.createDirectories(dir);
            mounts.put(mountPath, dir.toString());
            JsonNode vol = volume(podSpec, m.path("name").asText());
            if (vol.has("configMap")) {
                JsonNode cm = rendered.one("ConfigMap");
                assertEquals(cm.at("/metadata/name").asText(), vol.at("/configMap/name").asText());
                for (var it = cm.path("data").fields(); it.hasNext();) {
                    var e = it.next();
                    Files.writeString(dir.resolve(e.getKey()), e.getValue().asText());
                }
            } else if (vol.has("secret")) {
                Map<String, String> secret = secrets.get(vol.at("/secret/secretName").asText());
                assertTrue(secret != null, "unknown secret " + vol.at("/secret/secretName").asText());
                for (JsonNode item : vol.at("/secret/items")) {
                    String value = secret.get(item.path("key").asText());
                    assertTrue(value != null, "secret key " + item.path("key").asText() + " missing");
                    Files.writeString(dir.resolve(item.path("path").asText()), value);
                }
            } else if (vol.has("persistentVolumeClaim")) {
                copyTree(published, dir);
            } else {
                assertTrue(vol.has("emptyDir"), vol.toString());
            }
        }
        for (Path f : list(root)) { // mounted files name other mounts by their in-pod paths
            Files.writeString(f, rewrite(Files.readString(f), mounts));
        }
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : container.path("env")) {
            String value;
            if (e.has("value")) {
                value = rewrite(e.path("value").asText(), mounts);
            } else {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                value = secrets.get(ref.path("name").asText()).get(ref.path("key").asText());
            }
            env.put(e.path("name").asText(), value);
        }
        Path cwd = Files.createDirectories(work.resolve("cwd")); // empty: no ./config or .env to fall back on
        log = work.resolve("service.log");
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", jar.toAbsolutePath().toString())
                .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("PORTCULLIS_"));
        pb.environment().putAll(env);
        service = pb.start();
    }

    @AfterAll
    static void undeploy() throws Exception {
        if (receiver != null) {
            receiver.stop();
        }
        if (service != null) {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + PG + "/postgres", "postgres", "");
                    Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void passesItsProbesWithTheSignedReleaseActive() throws Exception {
        JsonNode c = rendered.container();
        String started = c.at("/startupProbe/httpGet/path").asText();
        long budget = c.at("/startupProbe/periodSeconds").asLong() * c.at("/startupProbe/failureThreshold").asLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(budget);
        int status = -1;
        while (System.nanoTime() < deadline && service.isAlive()) {
            status = status(started);
            if (status == 200) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(200, status, "startup probe " + started + " never passed; log:\n" + tail());
        assertEquals(200, status(c.at("/livenessProbe/httpGet/path").asText()), tail());
        String ready = c.at("/readinessProbe/httpGet/path").asText();
        long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status(ready) != 200 && System.nanoTime() < readyBy) {
            Thread.sleep(300);
        }
        assertEquals(200, status(ready), "readiness: " + get(ready, null).body() + "\n" + tail());

        JsonNode bundles = JSON.readTree(get("/v1/bundles", CLIENT_TOKEN).body());
        JsonNode portcullis = find(bundles.path("bundles"), "name", "portcullis");
        assertEquals(revision, portcullis.path("active").asText(), bundles.toString());
        JsonNode v = find(portcullis.path("versions"), "revision", revision);
        assertTrue(v.path("signed").asBoolean(), v.toString());
        assertEquals("release-2026a", v.path("signer").asText());
        JsonNode refused = find(bundles.path("rejected"), "name", "unsigned");
        assertEquals("unsigned", refused.path("reason").asText(), refused.toString());

        // a decision through the released policy, recorded with the signed bundle's digest
        HttpResponse<String> d = HTTP.send(HttpRequest.newBuilder(uri("/v1/decisions"))
                .header("Authorization", "Bearer " + CLIENT_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(README_DECISION))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, d.statusCode(), d.body());
        JsonNode decision = JSON.readTree(d.body());
        assertEquals(v.path("sha256").asText(), decision.at("/bundle/sha256").asText(), d.body());
        assertTrue(decision.path("error").isNull() && decision.path("allow").isBoolean(), d.body());

        // the decision reaches the decision-log collector, authenticated with the token from its Secret
        String id = decision.path("decision_id").asText();
        long shippedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!receiver.decisionIds().contains(id) && System.nanoTime() < shippedBy) {
            Thread.sleep(200);
        }
        assertTrue(receiver.decisionIds().contains(id), "decision " + id + " not shipped\n" + tail());
        assertEquals("Bearer " + LOG_TOKEN, receiver.uploads.get(0).authorization());

        // production knows no dev token
        assertEquals(401, get("/v1/bundles", "dev-client").statusCode());
    }

    @Test
    void setsOnlySettingsTheServiceRecognisesAndNeverLogsATokenOrKey() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (!Files.readString(log).contains("Listening on") && System.nanoTime() < until && service.isAlive()) {
            Thread.sleep(300);
        }
        get("/v1/bundles", CLIENT_TOKEN); // an authenticated request, so a token would have had a chance to be logged
        String text = Files.readString(log);
        assertTrue(text.contains("Listening on"), text);
        assertFalse(text.contains("Unrecognized configuration key"), "the chart sets a key the service ignores:\n" + text);
        assertFalse(text.contains(CLIENT_TOKEN), "a bearer token was logged");
        assertFalse(text.contains(LOG_TOKEN), "the decision-log token was logged");
        assertFalse(text.contains("PRIVATE KEY"));
    }

    // ---------------------------------------------------------------------------------------------------------

    static int status(String path) {
        try {
            return get(path, null).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    /** In-pod paths ({@code /etc/portcullis/...}) become the emulated mount directories. */
    static String rewrite(String s, Map<String, String> mounts) {
        String out = s;
        for (Map.Entry<String, String> m : mounts.entrySet()) {
            out = out.replaceAll(Pattern.quote(m.getKey()) + "(?=[/,\\s]|$)", Matcher.quoteReplacement(m.getValue()));
        }
        return out;
    }

    static String pomRevision() throws IOException {
        Matcher m = Pattern.compile("<portcullis.policies.revision>([^<]+)</portcullis.policies.revision>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find());
        return m.group(1);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<Path> list(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".tar.gz")
                    && !f.toString().endsWith(".sha256")).toList();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(from)) {
            all = new ArrayList<>(s.toList());
        }
        for (Path p : all) {
            Path t = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(t);
            } else {
                Files.copy(p, t);
            }
        }
    }

    static String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
