package dev.portcullis.gate.decisionlog;

import dev.portcullis.gate.TestDatabase;
import dev.portcullis.gate.bundles.TestBundles;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Decision-log shipping to a local receiver, fast polling and back-off, an erased input field. */
public class DecisionLogTestProfile implements QuarkusTestProfile {

    static final String TOKEN = "log-receiver-token";

    /** Chosen once per JVM; a system property because the test and the profile may be loaded by different class loaders. */
    static synchronized int port() {
        String p = System.getProperty("portcullis.test.decision-log.port");
        if (p == null) {
            try (ServerSocket s = new ServerSocket(0)) {
                p = Integer.toString(s.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.setProperty("portcullis.test.decision-log.port", p);
        }
        return Integer.parseInt(p);
    }

    static Path bundles() {
        try {
            Path dir = Files.createTempDirectory("portcullis-decision-log-");
            TestBundles.write(dir, "gate", "1", TestBundles.bytes(TestBundles.simple("1")));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>();
        m.put("portcullis.bundles.dir", bundles().toString());
        m.put("portcullis.decision-log.url", "http://127.0.0.1:" + port() + "/logs");
        m.put("portcullis.decision-log.bearer-token", TOKEN);
        m.put("portcullis.decision-log.poll-interval", "100ms");
        m.put("portcullis.decision-log.backoff-initial", "50ms");
        m.put("portcullis.decision-log.backoff-max", "300ms");
        m.put("portcullis.decision-log.timeout", "2s");
        m.put("portcullis.decision-log.max-batch", "7");
        m.put("portcullis.decision-log.erase", "/input/secret,/input/absent");
        m.put("portcullis.decision-log.labels.app", "gate-test");
        m.put("portcullis.decision-log.instance-id", "replica-a");
        return TestDatabase.isolated("portcullis-decision-log", m);
    }
}
