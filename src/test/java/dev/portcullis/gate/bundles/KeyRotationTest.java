package dev.portcullis.gate.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.rego.bundle.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation as docs/operations.md describes it, with key files as the chart mounts them
 * ({@code portcullis.bundles.public-keys=<dir>/release-2026a.pem,<dir>/release-2027a.pem}): before, during and
 * after the rotation, which signatures are accepted and which key is reported as the signer.
 */
class KeyRotationTest {

    @TempDir
    Path dir;

    @Test
    void bothKeysVerifyDuringRotationAndOnlyTheNewOneAfter() throws Exception {
        KeyPair old = TestBundles.ed25519();
        KeyPair next = TestBundles.rsa(); // a rotation may change the algorithm too
        Path oldPem = Files.writeString(dir.resolve("release-2026a.pem"), PublicKeys.toPem(old.getPublic()));
        Path nextPem = Files.writeString(dir.resolve("release-2027a.pem"), PublicKeys.toPem(next.getPublic()));
        Bundle b = TestBundles.simple("7");
        byte[] signedOld = TestBundles.bytes(TestBundles.sign(b, old.getPrivate(), "release-2026a"));
        byte[] signedNext = TestBundles.bytes(TestBundles.sign(b, next.getPrivate(), "release-2027a"));

        var before = PublicKeys.load(config(oldPem));
        assertEquals("release-2026a", BundleVerifier.verify(signedOld, before, true).signer());
        assertEquals(BundleRejectedException.BAD_SIGNATURE, reason(() -> BundleVerifier.verify(signedNext, before, true)));

        var during = PublicKeys.load(config(oldPem, nextPem));
        assertEquals("release-2026a", BundleVerifier.verify(signedOld, during, true).signer());
        assertEquals("release-2027a", BundleVerifier.verify(signedNext, during, true).signer());

        var after = PublicKeys.load(config(nextPem));
        assertEquals("release-2027a", BundleVerifier.verify(signedNext, after, true).signer());
        assertEquals(BundleRejectedException.BAD_SIGNATURE, reason(() -> BundleVerifier.verify(signedOld, after, true)));
        // and an unsigned bundle is refused throughout
        assertEquals(BundleRejectedException.UNSIGNED, reason(() -> BundleVerifier.verify(TestBundles.bytes(b), during, true)));
    }

    private TestBundles.Config config(Path... keys) {
        TestBundles.Config c = new TestBundles.Config(dir);
        c.requireSignature = true;
        c.publicKeys = List.of(keys).stream().map(Path::toString).toList();
        return c;
    }

    private static String reason(Runnable r) {
        return assertThrows(BundleRejectedException.class, r::run).reason();
    }
}
