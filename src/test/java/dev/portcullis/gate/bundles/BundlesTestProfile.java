package dev.portcullis.gate.bundles;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A temporary bundles directory holding {@code gate/1.tar.gz} and {@code gate/2.tar.gz}, a fast poller and an
 * in-memory H2 database (so runs do not share state through the file database).
 */
public class BundlesTestProfile implements QuarkusTestProfile {

    public static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("portcullis-bundles-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String rev : new String[] {"1", "2"}) {
            TestBundles.write(DIR, "gate", rev, TestBundles.bytes(TestBundles.simple(rev)));
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return dev.portcullis.gate.TestDatabase.isolated("portcullis-bundles-test", Map.of(
                "portcullis.bundles.dir", DIR.toString(),
                "portcullis.bundles.poll-interval", "1s",
                "portcullis.engine.timeout", "5s"));
    }
}
