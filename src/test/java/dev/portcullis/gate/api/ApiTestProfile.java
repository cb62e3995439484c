package dev.portcullis.gate.api;

import dev.portcullis.gate.TestDatabase;
import dev.portcullis.gate.bundles.TestBundles;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A bundles directory with two revisions of a "gate" bundle compiled from {@link #POLICY_V1} and
 * {@link #POLICY_V2}, and a private in-memory database.
 */
public class ApiTestProfile implements QuarkusTestProfile {

    static final List<String> ENTRYPOINTS = List.of("api/decision", "api/no_allow", "api/undefined",
            "api/conflict", "api/slow", "api/doc", "api/version");

    static final String POLICY_V1 = """
            package api
            import rego.v1
            decision := {"allow": input.user == "admin", "reasons": [sprintf("user %s", [input.user])],
                         "obligations": [{"log": input.user}]}
            no_allow := {"reasons": ["no allow field"]}
            undefined := {"allow": true} if input.never_set
            conflict := 1 if input.x
            conflict := 2 if input.x
            slow := {"allow": n > 0} if {
                r := numbers.range(1, 3000)
                n := count([x | some x in r; some y in r; x == y])
            }
            doc := {"who": input.user, "allow": input.user == "admin"}
            version := 1
            """;

    static final String POLICY_V2 = POLICY_V1.replace("version := 1", "version := 2")
            .replace("\"allow\": input.user == \"admin\", \"reasons\"", "\"allow\": input.user != \"mallory\", \"reasons\"");

    public static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("portcullis-api-bundles-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write("1", POLICY_V1);
        write("2", POLICY_V2);
    }

    static void write(String rev, String policy) {
        byte[] wasm = TestBundles.compile(policy, ENTRYPOINTS);
        TestBundles.write(DIR, "gate", rev, TestBundles.bytes(TestBundles.bundle(rev, wasm, ENTRYPOINTS, null, null)));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return TestDatabase.isolated("portcullis-api-test", Map.of(
                "portcullis.bundles.dir", DIR.toString(),
                "portcullis.bundles.active.gate", "1",
                "portcullis.bundles.poll-interval", "1s",
                "portcullis.data.default-decision", "api/doc",
                // api/slow is built to exceed the evaluation limit; its smoke run must not exceed the
                // intake budget on a loaded machine, or the bundle under test is refused at startup
                "portcullis.engine.smoke-timeout", "60s",
                "portcullis.limits.max-input-bytes", "65536",
                "portcullis.limits.max-depth", "32"));
    }
}
