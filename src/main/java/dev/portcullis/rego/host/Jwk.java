package dev.portcullis.rego.host;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * JSON Web Keys (RFC 7517) as OPA reads them: a single key or a set ({@code {"keys": [...]}}),
 * kty RSA, EC (P-256/384/521), OKP (Ed25519) and oct. A key that cannot be read makes the whole
 * input an error, as in OPA's JWK library.
 *
 * @param secret the octets of an oct key (null otherwise)
 */
record Jwk(String kty, String alg, String kid, PublicKey publicKey, PrivateKey privateKey, byte[] secret) {

    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED25519_PKCS8 = HexFormat.of().parseHex("302e020100300506032b657004220420");

    static List<Jwk> parseSet(String text) throws BuiltinException {
        JsonNode root;
        try {
            root = GoJson.parse(text);
        } catch (IOException e) {
            throw new BuiltinException("failed to parse a JWK key (set): " + e.getMessage(), e);
        }
        return parseSet(root);
    }

    static List<Jwk> parseSet(JsonNode root) throws BuiltinException {
        if (!root.isObject()) {
            throw new BuiltinException("failed to parse a JWK key (set): not an object");
        }
        List<Jwk> out = new ArrayList<>();
        if (root.has("keys")) {
            JsonNode keys = root.get("keys");
            if (!keys.isArray()) {
                throw new BuiltinException("failed to parse a JWK set: keys must be an array");
            }
            for (JsonNode k : keys) {
                out.add(parse(k));
            }
        } else {
            out.add(parse(root));
        }
        return out;
    }

    static Jwk parse(JsonNode k) throws BuiltinException {
        if (!k.isObject()) {
            throw new BuiltinException("invalid JWK: not an object");
        }
        String kty = str(k, "kty", true);
        String alg = str(k, "alg", false);
        String kid = str(k, "kid", false);
        try {
            switch (kty) {
                case "RSA": {
                    BigInteger n = uint(k, "n", true);
                    BigInteger e = uint(k, "e", true);
                    KeyFactory f = KeyFactory.getInstance("RSA");
                    PublicKey pub = f.generatePublic(new RSAPublicKeySpec(n, e));
                    PrivateKey priv = null;
                    BigInteger d = uint(k, "d", false);
                    if (d != null) {
                        BigInteger p = uint(k, "p", false);
                        BigInteger q = uint(k, "q", false);
                        BigInteger dp = uint(k, "dp", false);
                        BigInteger dq = uint(k, "dq", false);
                        BigInteger qi = uint(k, "qi", false);
                        priv = p != null && q != null && dp != null && dq != null && qi != null
                                ? f.generatePrivate(new RSAPrivateCrtKeySpec(n, e, d, p, q, dp, dq, qi))
                                : f.generatePrivate(new RSAPrivateKeySpec(n, d));
                    }
                    return new Jwk(kty, alg, kid, pub, priv, null);
                }
                case "EC": {
                    String crv = str(k, "crv", true);
                    String std = switch (crv) {
                        case "P-256" -> "secp256r1";
                        case "P-384" -> "secp384r1";
                        case "P-521" -> "secp521r1";
                        default -> throw new BuiltinException("invalid JWK: unsupported curve " + crv);
                    };
                    AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
                    ap.init(new ECGenParameterSpec(std));
                    ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
                    KeyFactory f = KeyFactory.getInstance("EC");
                    PublicKey pub = f.generatePublic(new ECPublicKeySpec(
                            new ECPoint(uint(k, "x", true), uint(k, "y", true)), spec));
                    BigInteger d = uint(k, "d", false);
                    PrivateKey priv = d == null ? null : f.generatePrivate(new ECPrivateKeySpec(d, spec));
                    return new Jwk(kty, alg, kid, pub, priv, null);
                }
                case "OKP": {
                    String crv = str(k, "crv", true);
                    if (!crv.equals("Ed25519")) {
                        throw new BuiltinException("invalid JWK: unsupported OKP curve " + crv);
                    }
                    byte[] x = bytes(k, "x", true);
                    if (x.length != 32) {
                        throw new BuiltinException("invalid JWK: bad Ed25519 public key length");
                    }
                    KeyFactory f = KeyFactory.getInstance("Ed25519");
                    PublicKey pub = f.generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, x)));
                    byte[] d = bytes(k, "d", false);
                    PrivateKey priv = null;
                    if (d != null) {
                        if (d.length != 32) {
                            throw new BuiltinException("invalid JWK: bad Ed25519 private key length");
                        }
                        priv = f.generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8, d)));
                    }
                    return new Jwk(kty, alg, kid, pub, priv, null);
                }
                case "oct":
                    return new Jwk(kty, alg, kid, null, null, bytes(k, "k", true));
                default:
                    throw new BuiltinException("invalid JWK: unsupported kty " + kty);
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new BuiltinException("invalid JWK: " + e.getMessage(), e);
        }
    }

    private static String str(JsonNode k, String name, boolean required) throws BuiltinException {
        JsonNode v = k.get(name);
        if (v == null) {
            if (required) {
                throw new BuiltinException("invalid JWK: missing " + name);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BuiltinException("invalid JWK: " + name + " must be a string");
        }
        return v.textValue();
    }

    private static byte[] bytes(JsonNode k, String name, boolean required) throws BuiltinException {
        String s = str(k, name, required);
        if (s == null) {
            return null;
        }
        // JWK members are base64url without padding; OPA's library also accepts padded and
        // standard-alphabet forms
        String url = s.replace('+', '-').replace('/', '_');
        while (url.endsWith("=")) {
            url = url.substring(0, url.length() - 1);
        }
        return GoBase64.opaUrlDecode(url);
    }

    private static BigInteger uint(JsonNode k, String name, boolean required) throws BuiltinException {
        byte[] b = bytes(k, name, required);
        return b == null ? null : new BigInteger(1, b);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
