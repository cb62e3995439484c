package dev.portcullis.gate.hostile;

import dev.portcullis.gate.TestDatabase;
import dev.portcullis.gate.bundles.PublicKeys;
import dev.portcullis.gate.bundles.TestBundles;
import dev.portcullis.rego.bundle.Bundle;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

/**
 * The gate as the hostile corpus meets it: signatures required (one release key), a bundle "gate"
 * in revisions 1 (active) and 2, whose policy allows exactly when {@code input.user == "alice"} or
 * {@code input.amount > 1000000}. Every way of smuggling "alice" or a huge amount past the parser
 * (overlong UTF-8, duplicate keys, trailing content, 1e400 turned into "Infinity", which sorts
 * above every number) would show up as an allow.
 */
public class HostileProfile implements QuarkusTestProfile {

    static final List<String> ENTRYPOINTS = List.of("h/decision", "h/doc", "h/deny_all");

    static final String POLICY = """
            package h
            import rego.v1
            default allow := false
            allow if input.user == "alice"
            allow if input.amount > 1000000
            decision := {"allow": allow}
            doc := {"allow": allow}
            deny_all := {"allow": false}
            """;

    static final KeyPair RELEASE = TestBundles.ed25519();
    static final KeyPair STRANGER = TestBundles.ed25519();
    static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("portcullis-hostile-bundles-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write("1", POLICY);
        write("2", POLICY.replace("deny_all := {\"allow\": false}", "deny_all := {\"allow\": false, \"rev\": 2}"));
    }

    static byte[] wasm() {
        return TestBundles.compile(POLICY, ENTRYPOINTS);
    }

    private static void write(String rev, String policy) {
        Bundle b = TestBundles.bundle(rev, TestBundles.compile(policy, ENTRYPOINTS), ENTRYPOINTS, null, "gate");
        TestBundles.write(DIR, "gate", rev, TestBundles.bytes(TestBundles.sign(b, RELEASE.getPrivate(), "hostile")));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return TestDatabase.isolated("portcullis-hostile", Map.of(
                "portcullis.bundles.dir", DIR.toString(),
                "portcullis.bundles.active.gate", "1",
                "portcullis.bundles.poll-interval", "1s",
                "portcullis.bundles.require-signature", "true",
                "portcullis.bundles.public-key-pem.hostile", PublicKeys.toPem(RELEASE.getPublic()),
                // a module whose start function never returns is abandoned after this long
                "portcullis.engine.smoke-timeout", "8s",
                // evaluation time limits are not under test here; a loaded machine must not turn a
                // data API call into a 500 timeout
                "portcullis.engine.timeout", "5s"));
    }
}
