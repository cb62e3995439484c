package dev.portcullis.rego.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bundle signatures in OPA's format: {@code /.signatures.json} is
 * {@code {"signatures": ["<JWS compact>"]}}, and the JWS payload is
 * {@code {"files": [{"name": ".manifest", "hash": "<hex sha256>", "algorithm": "SHA-256"}, ...]}}
 * listing every other file of the bundle (names without the leading slash). As in OPA, JSON files
 * ({@code .manifest}, {@code *.json}) are hashed in canonical form (sorted keys, no whitespace)
 * and other files as raw bytes. Algorithms: RS256 (RSA keys) and EdDSA (Ed25519 keys).
 */
public final class BundleSigner {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private BundleSigner() {}

    /** {@code bundle} with a fresh {@code /.signatures.json} made with {@code key}; keyId may be null. */
    public static Bundle sign(Bundle bundle, PrivateKey key, String keyId) {
        Map<String, byte[]> files = new TreeMap<>(BundleWriter.files(bundle.withoutSignatures()));
        return bundle.withSignatures(signaturesJson(files, key, keyId));
    }

    /** The {@code /.signatures.json} bytes for {@code files} (which must not include it). */
    public static byte[] signaturesJson(Map<String, byte[]> files, PrivateKey key, String keyId) {
        String alg = algorithm(key);
        ObjectNode header = JsonNodeFactory.instance.objectNode().put("alg", alg);
        if (keyId != null) {
            header.put("kid", keyId);
        }
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        ArrayNode list = payload.putArray("files");
        for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
            String name = stripSlash(f.getKey());
            if (name.equals(".signatures.json")) {
                continue;
            }
            list.addObject().put("name", name).put("hash", fileHash(name, f.getValue())).put("algorithm", "SHA-256");
        }
        if (keyId != null) {
            payload.put("keyid", keyId);
        }
        String signingInput = B64.encodeToString(CanonicalJson.toBytes(header)) + "."
                + B64.encodeToString(CanonicalJson.toBytes(payload));
        byte[] sig;
        try {
            Signature s = Signature.getInstance(jcaName(alg));
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            sig = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.putArray("signatures").add(signingInput + "." + B64.encodeToString(sig));
        return CanonicalJson.toBytes(doc);
    }

    /** Reads {@code bundleBytes} and verifies its signature against every file it contains. */
    public static Bundle readVerified(byte[] bundleBytes, PublicKey key) throws BundleFormatException {
        Map<String, byte[]> files = BundleReader.readFiles(bundleBytes);
        verify(files, key);
        return BundleReader.fromFiles(files);
    }

    /** Verifies a bundle as it would be written by {@link BundleWriter}. */
    public static void verify(Bundle bundle, PublicKey key) throws BundleSignatureException {
        verify(BundleWriter.files(bundle), key);
    }

    /**
     * Verifies {@code /.signatures.json} among {@code files}: exactly one JWS, made by {@code key},
     * whose payload lists exactly the other files with their SHA-256 hashes.
     */
    public static void verify(Map<String, byte[]> files, PublicKey key) throws BundleSignatureException {
        Map<String, byte[]> byName = new TreeMap<>();
        files.forEach((k, v) -> byName.put(stripSlash(k), v));
        byte[] sigFile = byName.remove(".signatures.json");
        if (sigFile == null) {
            throw new BundleSignatureException("bundle is not signed (no /.signatures.json)");
        }
        JsonNode doc;
        try {
            doc = CanonicalJson.parse(sigFile);
        } catch (IOException e) {
            throw new BundleSignatureException("/.signatures.json is not valid JSON: " + CanonicalJson.describe(e), e);
        }
        JsonNode sigs = doc.get("signatures");
        if (sigs == null || !sigs.isArray()) {
            throw new BundleSignatureException("/.signatures.json has no \"signatures\" array");
        }
        if (sigs.size() != 1 || !sigs.get(0).isTextual()) {
            throw new BundleSignatureException("/.signatures.json must hold exactly one JWS string, found "
                    + sigs.size() + " entries");
        }
        String[] parts = sigs.get(0).textValue().split("\\.", -1);
        if (parts.length != 3) {
            throw new BundleSignatureException("signature is not a JWS in compact serialization");
        }
        JsonNode header;
        JsonNode payload;
        byte[] signature;
        try {
            header = CanonicalJson.parse(B64D.decode(parts[0]));
            payload = CanonicalJson.parse(B64D.decode(parts[1]));
            signature = B64D.decode(parts[2]);
        } catch (IllegalArgumentException | IOException e) {
            throw new BundleSignatureException("signature JWS is malformed: " + e.getMessage(), e);
        }
        JsonNode algNode = header.get("alg");
        String alg = algNode == null ? null : algNode.asText(null);
        if (alg == null) {
            throw new BundleSignatureException("signature JWS header has no \"alg\"");
        }
        String expected = algorithm(key);
        if (!expected.equals(alg)) {
            throw new BundleSignatureException("signature algorithm " + alg + " does not match the verification key ("
                    + expected + ")");
        }
        try {
            Signature s = Signature.getInstance(jcaName(alg));
            s.initVerify(key);
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!s.verify(signature)) {
                throw new BundleSignatureException("bundle signature does not verify with the given key");
            }
        } catch (GeneralSecurityException e) {
            throw new BundleSignatureException("bundle signature does not verify with the given key: "
                    + e.getMessage(), e);
        }
        JsonNode listed = payload.get("files");
        if (listed == null || !listed.isArray()) {
            throw new BundleSignatureException("signature payload has no \"files\" array");
        }
        Map<String, byte[]> remaining = new TreeMap<>(byName);
        for (JsonNode f : listed) {
            String name = stripSlash(f.path("name").asText(""));
            String hash = f.path("hash").asText("");
            String algorithm = f.path("algorithm").asText("SHA-256");
            if (!algorithm.equalsIgnoreCase("SHA-256")) {
                throw new BundleSignatureException("file " + name + ": unsupported hash algorithm " + algorithm);
            }
            byte[] content = remaining.remove(name);
            if (content == null) {
                throw new BundleSignatureException("file " + name + " is listed in the signature but "
                        + (byName.containsKey(name) ? "listed twice" : "missing from the bundle"));
            }
            if (!fileHash(name, content).equalsIgnoreCase(hash)) {
                throw new BundleSignatureException("file " + name + " does not match its signed hash");
            }
        }
        if (!remaining.isEmpty()) {
            throw new BundleSignatureException("files not covered by the signature: " + remaining.keySet());
        }
    }

    /** The signed hash of one file: SHA-256 of the canonical form for JSON files, else of the bytes. */
    public static String fileHash(String name, byte[] content) {
        String n = stripSlash(name);
        if (n.equals(".manifest") || n.endsWith(".json")) {
            try {
                return HexFormat.of().formatHex(BundleDigest.sha256(CanonicalJson.toBytes(CanonicalJson.parse(content))));
            } catch (IOException e) {
                // not JSON after all: hash the raw bytes (verification then compares raw hashes)
            }
        }
        return BundleDigest.sha256Hex(content);
    }

    private static String algorithm(Key key) {
        if (key instanceof RSAKey) {
            return "RS256";
        }
        if (key instanceof EdECKey || "Ed25519".equalsIgnoreCase(key.getAlgorithm())
                || "EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            return "EdDSA";
        }
        throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm() + " (use RSA or Ed25519)");
    }

    private static String jcaName(String alg) {
        return switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("unsupported JWS algorithm " + alg);
        };
    }

    private static String stripSlash(String name) {
        String n = name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        return n;
    }

    /** For tests and tools: the files named in a signature's payload, without verifying it. */
    public static List<String> signedFileNames(byte[] signaturesJson) throws IOException {
        JsonNode doc = CanonicalJson.parse(signaturesJson);
        String[] parts = doc.path("signatures").path(0).asText("").split("\\.", -1);
        if (parts.length != 3) {
            throw new IOException("not a JWS");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode f : CanonicalJson.parse(B64D.decode(parts[1])).path("files")) {
            names.add(f.path("name").asText());
        }
        return names;
    }
}
