package dev.portcullis.gate.runbook;

import dev.portcullis.gate.TestDatabase;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/**
 * The released bundle (built from policies/ by this build) and one token per person of a response
 * team, so the tests act as distinct authenticated callers. Test-only tokens; prod has none.
 */
public class RunbookTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>();
        m.put("portcullis.bundles.dir", "bundles");
        // these tests are about what the policies decide, not how fast: on a loaded two-core machine a
        // 50 ms evaluation budget turns some decisions into (correct, fail-closed) timeouts
        m.put("portcullis.engine.timeout", "5s");
        m.put("portcullis.engine.smoke-timeout", "60s");
        token(m, "ana", "responder");
        token(m, "bo", "responder");
        token(m, "cy", "responder");
        token(m, "dee", "responder");
        token(m, "sam", "responder");
        token(m, "gs", "steward");
        token(m, "gs2", "steward");
        token(m, "portal", "client");
        return TestDatabase.isolated("portcullis-runbook", m);
    }

    private static void token(Map<String, String> m, String name, String role) {
        m.put("portcullis.auth.tokens.\"test-" + name + "\"", name + ":" + role);
    }
}
