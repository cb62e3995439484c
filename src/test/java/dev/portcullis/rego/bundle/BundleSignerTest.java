package dev.portcullis.rego.bundle;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BundleSignerTest {

    private static KeyPair keys(String alg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        if (alg.equals("RSA")) {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ed25519", "RSA"})
    void signAndVerify(String alg) throws Exception {
        KeyPair kp = keys(alg);
        Bundle signed = BundleSigner.sign(BundleRoundTripTest.sample(), kp.getPrivate(), "key-1");
        byte[] bytes = BundleWriter.write(signed);
        Bundle back = BundleSigner.readVerified(bytes, kp.getPublic());
        assertEquals(signed, back);
        BundleSigner.verify(back, kp.getPublic());

        JsonNode doc = CanonicalJson.parse(signed.signaturesJson().orElseThrow());
        String jws = doc.get("signatures").get(0).asText();
        JsonNode header = CanonicalJson.parse(Base64.getUrlDecoder().decode(jws.split("\\.")[0]));
        assertEquals(alg.equals("RSA") ? "RS256" : "EdDSA", header.get("alg").asText());
        assertEquals("key-1", header.get("kid").asText());
        assertEquals(List.of(".manifest", "data.json", "policy.wasm"),
                BundleSigner.signedFileNames(signed.signaturesJson().get()));
        // Signing is deterministic for Ed25519 and RSA PKCS#1 v1.5: the signed bundle is reproducible too.
        assertEquals(BundleDigest.sha256Hex(bytes),
                BundleDigest.sha256Hex(BundleWriter.write(BundleSigner.sign(BundleRoundTripTest.sample(), kp.getPrivate(), "key-1"))));
    }

    @Test
    void rejectsWrongKeyTamperingAndUnsigned() throws Exception {
        KeyPair kp = keys("Ed25519");
        KeyPair other = keys("Ed25519");
        KeyPair rsa = keys("RSA");
        Bundle signed = BundleSigner.sign(BundleRoundTripTest.sample(), kp.getPrivate(), null);

        BundleSignatureException wrong = assertThrows(BundleSignatureException.class,
                () -> BundleSigner.verify(signed, other.getPublic()));
        assertTrue(wrong.getMessage().contains("does not verify"), wrong.getMessage());
        BundleSignatureException wrongAlg = assertThrows(BundleSignatureException.class,
                () -> BundleSigner.verify(signed, rsa.getPublic()));
        assertTrue(wrongAlg.getMessage().contains("does not match"), wrongAlg.getMessage());

        Bundle tampered = new Bundle(signed.manifest(), signed.policyWasm(),
                "{\"evil\":true}".getBytes(StandardCharsets.UTF_8), signed.signaturesJson());
        BundleSignatureException t = assertThrows(BundleSignatureException.class,
                () -> BundleSigner.verify(tampered, kp.getPublic()));
        assertTrue(t.getMessage().contains("data.json does not match"), t.getMessage());

        byte[] wasm = signed.policyWasm().clone();
        wasm[wasm.length - 1] ^= 1;
        Bundle tamperedWasm = new Bundle(signed.manifest(), wasm, signed.dataJson(), signed.signaturesJson());
        assertThrows(BundleSignatureException.class, () -> BundleSigner.verify(tamperedWasm, kp.getPublic()));

        BundleSignatureException unsigned = assertThrows(BundleSignatureException.class,
                () -> BundleSigner.verify(signed.withoutSignatures(), kp.getPublic()));
        assertTrue(unsigned.getMessage().contains("not signed"));

        Map<String, byte[]> files = new TreeMap<>(BundleWriter.files(signed));
        files.put("/extra.rego", "package x".getBytes(StandardCharsets.UTF_8));
        BundleSignatureException extra = assertThrows(BundleSignatureException.class,
                () -> BundleSigner.verify(files, kp.getPublic()));
        assertTrue(extra.getMessage().contains("not covered"), extra.getMessage());

        Map<String, byte[]> garbage = new TreeMap<>(BundleWriter.files(signed));
        garbage.put("/.signatures.json", "{\"signatures\": [\"a.b\"]}".getBytes(StandardCharsets.UTF_8));
        assertThrows(BundleSignatureException.class, () -> BundleSigner.verify(garbage, kp.getPublic()));
    }

    @Test
    void jsonFilesAreHashedCanonically() throws Exception {
        KeyPair kp = keys("Ed25519");
        Map<String, byte[]> files = new TreeMap<>(BundleWriter.files(BundleRoundTripTest.sample()));
        files.put("/.signatures.json", BundleSigner.signaturesJson(files, kp.getPrivate(), null));
        // Re-formatting data.json (whitespace, key order) keeps the signature valid, as in OPA.
        files.put("/data.json", "{ \"z\" : 1, \"big\": 123456789012345678901234567890, \"a\": {\"y\": [1, 2.50, \"x\"], \"b\": null} }"
                .getBytes(StandardCharsets.UTF_8));
        assertDoesNotThrow(() -> BundleSigner.verify(files, kp.getPublic()));
    }
}
