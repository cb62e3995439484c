package dev.portcullis.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import dev.portcullis.gate.ConfigCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code helm lint} and {@code helm template} of helm/portcullis with the default and the production values,
 * asserting on the rendered objects. That the probe paths answer on the real service and that the rendered
 * configuration starts it is proven by {@code ChartDeploymentIT} against the packaged application.
 */
class ChartTest {

    static Chart.Rendered dflt;
    static Chart.Rendered prod;

    @BeforeAll
    static void render() {
        dflt = Chart.template(List.of(), Map.of());
        prod = Chart.template(List.of(Chart.PROD_VALUES), Map.of());
    }

    static List<Chart.Rendered> both() {
        return List.of(dflt, prod);
    }

    @Test
    void lintsCleanWithDefaultAndProductionValues() {
        for (var overlay : new java.nio.file.Path[] {null, Chart.PROD_VALUES}) {
            LintResult r = Chart.lint(overlay);
            assertFalse(r.isFailed(), "helm lint --strict " + (overlay == null ? "" : overlay) + ": " + r.getMessages());
        }
    }

    @Test
    void rendersTheExpectedObjects() {
        for (String kind : List.of("Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "NetworkPolicy",
                "ServiceAccount")) {
            dflt.one(kind);
            prod.one(kind);
        }
        assertTrue(dflt.ofKind("HorizontalPodAutoscaler").isEmpty(), "autoscaling is off by default");
        assertTrue(dflt.ofKind("ServiceMonitor").isEmpty(), "the ServiceMonitor is optional");
        prod.one("HorizontalPodAutoscaler");
        prod.one("ServiceMonitor");
        assertTrue(dflt.ofKind("Secret").isEmpty() && prod.ofKind("Secret").isEmpty(),
                "the chart references Secrets, it never renders one");
    }

    @Test
    void deploymentRollsWithoutLosingCapacity() {
        JsonNode d = dflt.one("Deployment");
        assertEquals(2, d.at("/spec/replicas").asInt());
        for (var r : both()) {
            JsonNode s = r.one("Deployment").at("/spec/strategy");
            assertEquals("RollingUpdate", s.path("type").asText());
            assertEquals(0, s.at("/rollingUpdate/maxUnavailable").asInt());
            assertTrue(s.at("/rollingUpdate/maxSurge").asInt() >= 1);
        }
    }

    @Test
    void probesUseTheServiceHealthEndpointsOnTheHttpPort() {
        for (var r : both()) {
            JsonNode c = r.container();
            assertEquals("/q/health/started", c.at("/startupProbe/httpGet/path").asText());
            assertEquals("/q/health/live", c.at("/livenessProbe/httpGet/path").asText());
            assertEquals("/q/health/ready", c.at("/readinessProbe/httpGet/path").asText());
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertEquals("http", c.at("/" + probe + "/httpGet/port").asText(), probe);
            }
            JsonNode port = c.at("/ports/0");
            assertEquals("http", port.path("name").asText());
            assertEquals(1, c.path("ports").size(), "one port only");
            assertEquals(port.path("containerPort").asText(), r.applicationProperties().getProperty("quarkus.http.port"),
                    "the container port is the port the service is configured to listen on");
            assertTrue(c.at("/startupProbe/failureThreshold").asInt() * c.at("/startupProbe/periodSeconds").asInt() >= 60,
                    "startup gets at least a minute before liveness counts");
        }
    }

    @Test
    void podsRunHardened() {
        for (var r : both()) {
            JsonNode pod = r.one("Deployment").at("/spec/template/spec");
            JsonNode psc = pod.path("securityContext");
            assertTrue(psc.path("runAsNonRoot").asBoolean());
            assertTrue(psc.path("runAsUser").asInt() > 0);
            assertEquals("RuntimeDefault", psc.at("/seccompProfile/type").asText());
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true));
            JsonNode sc = r.container().path("securityContext");
            assertTrue(sc.path("runAsNonRoot").asBoolean());
            assertTrue(sc.path("readOnlyRootFilesystem").asBoolean());
            assertFalse(sc.path("allowPrivilegeEscalation").asBoolean(true));
            assertFalse(sc.path("privileged").asBoolean(true));
            assertEquals("[\"ALL\"]", sc.at("/capabilities/drop").toString());
            assertTrue(sc.at("/capabilities/add").isMissingNode());
            assertEquals("RuntimeDefault", sc.at("/seccompProfile/type").asText());
            // the only writable places: an emptyDir at /tmp; every other mount is read-only
            for (JsonNode m : r.container().path("volumeMounts")) {
                String vol = m.path("name").asText();
                JsonNode source = volume(pod, vol);
                if (m.path("mountPath").asText().equals("/tmp")) {
                    assertTrue(source.has("emptyDir"), "/tmp is an emptyDir");
                    assertTrue(source.at("/emptyDir/sizeLimit").isTextual(), "/tmp is size-limited");
                } else {
                    assertTrue(m.path("readOnly").asBoolean(), m.path("mountPath").asText() + " must be read-only");
                }
            }
            assertTrue(r.container().at("/resources/requests/cpu").isTextual());
            assertTrue(r.container().at("/resources/requests/memory").isTextual());
            assertTrue(r.container().at("/resources/limits/memory").isTextual());
        }
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (v.path("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    @Test
    void runsTheProdProfileWithSignedBundlesOnly() {
        for (var r : both()) {
            Map<String, String> env = env(r);
            assertEquals("prod", env.get("QUARKUS_PROFILE"));
            Properties p = r.applicationProperties();
            assertEquals("true", p.getProperty("portcullis.bundles.require-signature"));
            assertTrue(p.getProperty("portcullis.bundles.public-keys", "").contains("/release-2026a.pem"));
            assertTrue(p.getProperty("quarkus.datasource.jdbc.url").startsWith("jdbc:postgresql://"));
        }
        assertTrue(prod.applicationProperties().getProperty("quarkus.datasource.jdbc.url").contains("sslmode=verify-full"));
        assertEquals("/input/subject/email", prod.applicationProperties().getProperty("portcullis.decision-log.erase"));
        assertTrue(dflt.applicationProperties().getProperty("portcullis.decision-log.url") == null, "off by default");
    }

    @Test
    void noDevTokenAndNoCredentialInAnyRenderedObject() {
        for (var r : both()) {
            assertFalse(r.text().contains("dev-client") || r.text().contains("dev-admin")
                    || r.text().contains("dev-responder") || r.text().contains("dev-steward"),
                    "a dev token is rendered");
            assertFalse(r.text().contains("portcullis.auth.tokens"), "tokens belong in the Secret, not the chart");
            assertFalse(r.text().contains("BEGIN PRIVATE KEY"));
            for (JsonNode e : r.container().path("env")) {
                String name = e.path("name").asText();
                if (name.contains("PASSWORD") || name.contains("USERNAME") || name.contains("TOKEN")) {
                    assertTrue(e.has("valueFrom") && !e.has("value"), name + " must come from a Secret");
                }
            }
        }
    }

    @Test
    void disruptionBudgetAndAutoscalerAgreeWithTheReplicaCount() {
        JsonNode d = dflt.one("Deployment");
        int replicas = d.at("/spec/replicas").asInt();
        int minAvailable = dflt.one("PodDisruptionBudget").at("/spec/minAvailable").asInt();
        assertTrue(minAvailable >= 1 && minAvailable < replicas, "a drain can proceed and one pod stays");

        JsonNode hpa = prod.one("HorizontalPodAutoscaler");
        assertTrue(prod.one("Deployment").at("/spec/replicas").isMissingNode(),
                "with autoscaling the Deployment leaves the replica count to the HPA");
        int min = hpa.at("/spec/minReplicas").asInt();
        int max = hpa.at("/spec/maxReplicas").asInt();
        int prodMinAvailable = prod.one("PodDisruptionBudget").at("/spec/minAvailable").asInt();
        assertTrue(prodMinAvailable >= 1 && prodMinAvailable < min);
        assertTrue(max >= min);
        assertEquals(prod.one("Deployment").at("/metadata/name").asText(), hpa.at("/spec/scaleTargetRef/name").asText());

        for (var r : both()) {
            JsonNode selector = r.one("PodDisruptionBudget").at("/spec/selector/matchLabels");
            assertEquals(r.one("Deployment").at("/spec/selector/matchLabels"), selector);
        }
    }

    @Test
    void refusesValuesThatCouldNeverDrainOrVerify() {
        Exception e = assertThrows(Exception.class,
                () -> Chart.template(List.of(), Map.of("podDisruptionBudget.minAvailable", 2)));
        assertTrue(e.getMessage().contains("minAvailable"), e.getMessage());
        e = assertThrows(Exception.class, () -> Chart.template(List.of(), Map.of("bundles.publicKeys.keys", "{}")));
        assertTrue(e.getMessage().contains("publicKeys"), e.getMessage());
    }

    @Test
    void networkPolicyAdmitsTheHttpPortOnly() {
        for (var r : both()) {
            JsonNode np = r.one("NetworkPolicy").path("spec");
            assertEquals("[\"Ingress\"]", np.path("policyTypes").toString());
            assertEquals(r.one("Deployment").at("/spec/selector/matchLabels"), np.at("/podSelector/matchLabels"));
            for (JsonNode rule : np.path("ingress")) {
                assertEquals(1, rule.path("ports").size());
                assertEquals("http", rule.at("/ports/0/port").asText());
            }
        }
        assertEquals(2, prod.one("NetworkPolicy").at("/spec/ingress/0/from").size());
        JsonNode svc = dflt.one("Service").path("spec");
        assertEquals("http", svc.at("/ports/0/targetPort").asText());
        assertEquals("/q/metrics", prod.one("ServiceMonitor").at("/spec/endpoints/0/path").asText());
    }

    @Test
    void configMapSetsOnlyRealServiceSettings() {
        for (var r : both()) {
            for (String key : r.applicationProperties().stringPropertyNames()) {
                if (key.startsWith("portcullis.")) {
                    assertTrue(ConfigCatalog.find(key).isPresent(), key + " is not a setting of the service");
                } else {
                    assertTrue(key.equals("config_ordinal") || key.startsWith("quarkus."), key);
                }
            }
            // the environment names quarkus settings too (QUARKUS_FOO_BAR = quarkus.foo.bar)
            for (String name : env(r).keySet()) {
                assertTrue(name.startsWith("QUARKUS_") || name.equals("JAVA_TOOL_OPTIONS")
                        || ConfigCatalog.keys().stream().anyMatch(k -> envName(k.name()).equals(name)), name);
            }
        }
    }

    @Test
    void everyReferencedSecretKeyIsDocumentedInValues() throws IOException {
        List<String> lines = Files.readAllLines(Chart.VALUES);
        for (var r : both()) {
            Set<String> keys = new HashSet<>();
            JsonNode pod = r.one("Deployment").at("/spec/template/spec");
            for (JsonNode e : r.container().path("env")) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode()) {
                    keys.add(ref.path("key").asText());
                }
            }
            for (JsonNode v : pod.path("volumes")) {
                for (JsonNode item : v.at("/secret/items")) {
                    keys.add(item.path("key").asText());
                }
                assertTrue(v.path("secret").isMissingNode() || v.at("/secret/items").size() > 0,
                        "secret volume " + v.path("name").asText() + " must name its keys");
            }
            assertEquals(r == prod ? 5 : 4, keys.size(), keys.toString());
            for (String key : keys) {
                assertTrue(documented(lines, key), "Secret key " + key + " is not a commented value in values.yaml");
            }
        }
    }

    /** {@code key} is the value of a line in values.yaml (a scalar or list item) with a comment just above it. */
    private static boolean documented(List<String> lines, String key) {
        Pattern p = Pattern.compile("^\\s*(-|[A-Za-z0-9_]+:)\\s+\"?" + Pattern.quote(key) + "\"?\\s*$");
        for (int i = 1; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).matches()) {
                int j = i - 1;
                while (j > 0 && lines.get(j).trim().startsWith("- ")) {
                    j--; // list items share the comment above the list key
                }
                if (lines.get(j).trim().startsWith("#") || lines.get(j - 1).trim().startsWith("#")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void everyValueIsCommented() throws IOException {
        for (var file : List.of(Chart.VALUES, Chart.PROD_VALUES)) {
            List<String> lines = Files.readAllLines(file);
            List<String> bare = new ArrayList<>();
            Pattern key = Pattern.compile("^(\\s*)([A-Za-z][A-Za-z0-9_.-]*):.*$");
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = key.matcher(lines.get(i));
                if (!m.matches() || insideExample(lines, i, m.group(1).length())) {
                    continue;
                }
                String above = i == 0 ? "" : lines.get(i - 1).trim();
                if (!above.startsWith("#") && !lines.get(i).contains(" # ")) {
                    bare.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
            assertTrue(bare.isEmpty(), "values without a comment:\n" + String.join("\n", bare));
        }
    }

    /** Keys inside a list item (Kubernetes objects given as examples) are described by the list's comment. */
    private static boolean insideExample(List<String> lines, int i, int indent) {
        for (int j = i - 1; j >= 0; j--) {
            String l = lines.get(j);
            if (l.isBlank() || l.trim().startsWith("#")) {
                continue;
            }
            int ind = l.length() - l.stripLeading().length();
            if (ind < indent) {
                return l.trim().startsWith("- ") || insideExample(lines, j, ind);
            }
        }
        return false;
    }

    /** MicroProfile Config's environment form of a key: non-alphanumerics to '_', upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    static Map<String, String> env(Chart.Rendered r) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode e : r.container().path("env")) {
            out.put(e.path("name").asText(), e.has("value") ? e.path("value").asText() : null);
        }
        assertNotNull(out.get("QUARKUS_CONFIG_LOCATIONS"));
        return out;
    }
}
