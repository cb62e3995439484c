package dev.portcullis.gate.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus ({@code src/test/resources/hostile/}) against the real service over real
 * HTTP: raw sockets, so bytes no polite client sends reach the server. For every case: the exact
 * 4xx status and error code it must earn, a JSON {@code {code, message}} body (or, for decisions,
 * a deny whose record exists), never an allow, never a 5xx. Afterwards: no bundle stored,
 * activated or shadowed differently, readiness UP, the decision chain verifies, {@code /q/metrics}
 * bounded, and no log line carries a raw control character from a request.
 */
@QuarkusTest
@TestProfile(HostileProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request text that ends up in a log line must never bring its own line breaks or controls. */
    static final String LOG_MARK = "HOSTILE-MARK";

    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Set<String> filesBefore;
    private int casesRun;

    static Stream<HostileCorpus.Case> corpus() {
        List<HostileCorpus.Case> all = new ArrayList<>(HostileCorpus.requests("/hostile/requests.txt"));
        all.addAll(bundleCases());
        return all.stream();
    }

    static List<HostileCorpus.Case> bundleCases() {
        List<HostileCorpus.Case> out = new ArrayList<>();
        int n = 0;
        for (Map.Entry<String, JsonNode> e : HostileBundles.load(HostileCorpus.bytes("/hostile/bundles.json")).entrySet()) {
            JsonNode d = e.getValue();
            byte[] body = HostileBundles.build(d, HostileProfile.RELEASE, HostileProfile.STRANGER, HostileProfile.wasm(),
                    HostileProfile.ENTRYPOINTS, d.path("revision").asText("hostile-" + (++n)));
            String[] expect = d.get("expect").asText().split(" ");
            byte[] request = HostileCorpus.request("POST", "/v1/bundles", "dev-admin",
                    List.of("Content-Type: application/gzip"), "");
            // request() wrote Content-Length: 0 for the empty body; rebuild the head with the real length
            String head = new String(request, StandardCharsets.ISO_8859_1).replace("Content-Length: 0\r\n",
                    "Content-Length: " + body.length + "\r\n");
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] full = new byte[h.length + body.length];
            System.arraycopy(h, 0, full, 0, h.length);
            System.arraycopy(body, 0, full, h.length, body.length);
            out.add(new HostileCorpus.Case(e.getKey(), "POST", "/v1/bundles", full, Integer.parseInt(expect[0]),
                    expect[1], "bundles"));
        }
        return out;
    }

    @BeforeAll
    void setUp() throws IOException {
        java.util.logging.Logger.getLogger("").addHandler(capture);
        filesBefore = files();
        // a shadow revision is set, so a hostile shadow body that clears it is seen
        send("PUT", "/v1/bundles/gate/shadow", "dev-admin", "{\"revision\":\"2\"}").assertStatus(200);
    }

    @AfterAll
    void tearDown() {
        java.util.logging.Logger.getLogger("").removeHandler(capture);
    }

    @Test
    @Order(0)
    void theOracleCanAllow() throws IOException {
        // the corpus asserts "never allow": prove the policy does allow what it should
        assertTrue(send("POST", "/v1/decisions", "dev-client", "{\"policy\":\"h/decision\",\"input\":{\"user\":\"alice\"}}")
                .json().path("allow").asBoolean());
        assertTrue(send("POST", "/v1/decisions", "dev-client", "{\"policy\":\"h/decision\",\"input\":{\"amount\":2e6}}")
                .json().path("allow").asBoolean());
        assertFalse(send("POST", "/v1/decisions", "dev-client", "{\"policy\":\"h/decision\",\"input\":{\"user\":\"bob\"}}")
                .json().path("allow").asBoolean());
    }

    @Test
    @Order(0)
    void theRecordHoldsExactlyTheBytesEvaluated() throws Exception {
        // numbers as written (1.0 stays 1.0, 1e2 stays 1e2), escapes and whitespace untouched
        String input = "{ \"amount\" : 1.0,\"n\":1e2 ,\"k\":-0,\"e\":2.5E-3,\n\"s\":\"\\u00e9\u00e9\\ud83d\\ude00\"}";
        Reply r = send("POST", "/v1/decisions", "dev-client", "{\"policy\":\"h/decision\",\"input\":" + input + "}");
        assertEquals(200, r.status, r.text);
        assertFalse(r.json().path("allow").asBoolean(true), r.text);
        JsonNode rec = send("GET", "/v1/decisions/" + r.json().path("decision_id").asText(), "dev-steward", null).json();
        assertEquals(input, rec.path("input").asText(), rec.toString());
        byte[] sent = input.getBytes(StandardCharsets.UTF_8);
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(sent));
        assertEquals(sha, rec.path("inputSha256").asText(), rec.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void hostileCaseIsRefused(HostileCorpus.Case c) throws IOException {
        casesRun++;
        RawHttp.Response r = RawHttp.send(port(), c.request());
        String text = r.text();
        if (c.status() == 0) {
            // framing so broken that no answer can be tied to a request: the connection is dropped
            assertEquals(0, r.status(), () -> c + ": expected the connection to be closed, got " + text);
            return;
        }
        assertTrue(r.status() < 500, () -> c + ": 5xx " + r.status() + " " + text);
        assertTrue(r.status() >= 400 || r.status() == 200 && c.status() == 200,
                () -> c + ": expected a refusal, got " + r.status() + " " + text);
        String type = r.header("content-type");
        assertTrue(type != null && type.startsWith("application/json"),
                () -> c + ": not JSON (" + type + ", status " + r.status() + "): " + text);
        JsonNode body = JSON.readTree(r.body());
        assertFalse(allows(body), () -> c + ": ALLOWED: " + text);
        String code;
        JsonNode error = body.has("allow") ? body.path("error") : body;
        code = error.path("code").asText(null);
        if (code != null) {
            assertTrue(error.path("message").isTextual(), () -> c + ": no error message: " + text);
        }
        if (body.has("decision_id")) {
            assertRecordedDeny(c, body.get("decision_id").asText(), code);
        }
        assertEquals(c.status() + " " + c.code(), r.status() + " " + (code == null ? "-" : code), () -> c + ": " + text);
        if (c.source().equals("bundles")) {
            assertReady(c.toString());
        }
    }

    private static boolean allows(JsonNode body) {
        return body.path("allow").asBoolean(false) || body.path("result").path("allow").asBoolean(false)
                || body.path("result").isBoolean() && body.path("result").asBoolean();
    }

    private void assertRecordedDeny(HostileCorpus.Case c, String id, String code) throws IOException {
        Reply rec = send("GET", "/v1/decisions/" + id, "dev-steward", null);
        assertEquals(200, rec.status, () -> c + ": decision " + id + " not recorded: " + rec.text);
        assertFalse(rec.json().path("allow").asBoolean(true), () -> c + ": record allows: " + rec.text);
        assertEquals(code, rec.json().path("errorCode").asText(null), () -> c + ": record: " + rec.text);
    }

    private void assertReady(String after) throws IOException {
        Reply ready = send("GET", "/q/health/ready", null, null);
        assertEquals(200, ready.status, () -> "not ready after " + after + ": " + ready.text);
    }

    @Test
    @Order(2)
    void nothingWasStoredActivatedOrChanged() throws IOException {
        assertTrue(casesRun >= 200, "the corpus ran " + casesRun + " cases");
        JsonNode list = send("GET", "/v1/bundles", "dev-admin", null).json();
        JsonNode gate = null;
        for (JsonNode b : list.path("bundles")) {
            assertEquals("gate", b.path("name").asText(), "a bundle appeared: " + list);
            gate = b;
        }
        assertEquals("1", gate.path("active").asText(), list.toString());
        assertEquals("2", gate.path("shadow").asText(), "the shadow changed: " + list);
        List<String> revisions = new ArrayList<>();
        gate.path("versions").forEach(v -> revisions.add(v.path("revision").asText()));
        assertEquals(List.of("1", "2"), revisions.stream().sorted().toList(), list.toString());
        assertEquals(filesBefore, files(), "files under the bundles directory changed");
        try (Stream<Path> s = Files.list(HostileProfile.DIR.getParent())) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("pwned")).toList());
        }
        assertTrue(send("POST", "/v1/decisions", "dev-client", "{\"policy\":\"h/decision\",\"input\":{\"user\":\"alice\"}}")
                .json().path("allow").asBoolean(), "the active bundle no longer decides");
    }

    @Test
    @Order(3)
    void readyAndTheChainVerifies() throws IOException {
        assertReady("the corpus");
        Reply v = send("GET", "/v1/decisions/verify", "dev-steward", null);
        assertEquals(200, v.status, v.text);
        assertTrue(v.json().path("ok").asBoolean(), v.text);
    }

    /** Label values in the exposition: {@code name="value"} pairs inside braces. */
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    @Order(4)
    void metricsStayBounded() throws IOException {
        Reply m = send("GET", "/q/metrics", null, null);
        assertEquals(200, m.status);
        Set<String> policies = new TreeSet<>();
        for (String line : m.text.split("\n")) {
            assertTrue(line.length() < 2000, () -> "metrics line of " + line.length() + " chars: "
                    + line.substring(0, 200));
            for (char ch : line.toCharArray()) {
                assertTrue(ch >= 0x20 && ch != 0x7f, () -> "control character in metrics line: " + line);
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher lm = LABEL.matcher(line);
            while (lm.find()) {
                String value = lm.group(2);
                assertTrue(value.length() <= 256, () -> "label " + lm.group(1) + " of " + value.length() + " chars");
                if (lm.group(1).equals("policy")) {
                    policies.add(value);
                }
            }
        }
        Set<String> allowed = new TreeSet<>(HostileProfile.ENTRYPOINTS);
        allowed.add("unknown");
        assertTrue(allowed.containsAll(policies), "policy labels " + policies);
        assertTrue(policies.contains("unknown"), "hostile policy names are counted as unknown: " + policies);
    }

    @Test
    @Order(5)
    void requestTextNeverForgesALogLine() {
        int marked = 0;
        for (LogRecord r : logs) {
            String msg = formatted(r);
            if (r.getLoggerName() != null && r.getLoggerName().startsWith("dev.portcullis") || msg.contains(LOG_MARK)) {
                for (char ch : msg.toCharArray()) {
                    assertTrue(ch >= 0x20 && ch != 0x7f,
                            () -> "raw control character logged by " + r.getLoggerName() + ": " + msg);
                }
            }
            if (msg.contains(LOG_MARK)) {
                marked++;
            }
        }
        assertTrue(marked > 0, "the forged-revision cases were never logged, so escaping is untested");
    }

    private static String formatted(LogRecord r) {
        if (r instanceof org.jboss.logmanager.ExtLogRecord e) {
            return String.valueOf(e.getFormattedMessage());
        }
        String m = String.valueOf(r.getMessage());
        return r.getParameters() == null ? m : java.text.MessageFormat.format(m, r.getParameters());
    }

    // ------------------------------------------------------------------------------------ plumbing

    private Set<String> files() throws IOException {
        try (Stream<Path> s = Files.walk(HostileProfile.DIR)) {
            Set<String> out = new TreeSet<>();
            s.filter(Files::isRegularFile).forEach(p -> out.add(HostileProfile.DIR.relativize(p).toString()));
            return out;
        }
    }

    /** The port the service under test listens on (RestAssured's is not set yet in {@code @BeforeAll}). */
    static int port() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-port", Integer.class);
    }

    record Reply(int status, String text) {
        JsonNode json() throws IOException {
            return JSON.readTree(text);
        }

        Reply assertStatus(int expected) {
            assertEquals(expected, status, text);
            return this;
        }
    }

    static Reply send(String method, String path, String token, String body) throws IOException {
        RawHttp.Response r = RawHttp.send(port(), HostileCorpus.request(method, path, token, List.of(),
                body == null ? "" : body));
        return new Reply(r.status(), r.text());
    }
}
