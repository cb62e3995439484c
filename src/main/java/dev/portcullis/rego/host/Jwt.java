package dev.portcullis.rego.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OPA's {@code io.jwt.*} builtins (topdown/tokens.go): decoding, signature verification against
 * secrets, PEM certificates and public keys, and JWK (sets), {@code decode_verify} with its
 * constraints, and signing. Every failure OPA reports as an error is a {@link BuiltinException}
 * (the call is undefined); a signature or constraint that does not hold is {@code false}.
 */
final class Jwt {

    private Jwt() {}

    /** The three base64url parts of a compact JWS. */
    private record Token(String header, String payload, String signature) {
        byte[] signingInput() {
            return (header + "." + payload).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A key to verify with; {@code privateOnly} marks a JWK that carries its private part. */
    private record VerificationKey(PublicKey key, byte[] secret, boolean privateJwk, String alg, String kid) {}

    /** The recognised JOSE header parameters. */
    private static final class Header {
        String alg = "";
        String kid = "";
        String cty = "";
        Set<String> crit;
        final List<String> unknown = new ArrayList<>();

        boolean valid() {
            if (alg.isEmpty()) {
                return false;
            }
            for (String u : unknown) {
                if (crit != null && crit.contains(u)) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- io.jwt.decode

    static JsonNode decode(JsonNode jwt) throws BuiltinException {
        Token t = split(jwt);
        ObjectNode header = decodeHeader(t);
        String payloadText = text(GoBase64.opaUrlDecode(t.payload()), "JWT payload had invalid encoding");
        JsonNode cty = header.get("cty");
        if (cty != null) {
            if (!cty.isTextual()) {
                throw new BuiltinException("cty: must be a string");
            }
            if (cty.textValue().equals("JWT")) {
                // a nested token is often quoted (jwt.io does so)
                return decode(GoJson.NODES.textNode(trim(payloadText, "\"'")));
            }
        }
        ObjectNode payload = jsonObject(payloadText);
        byte[] sig = GoBase64.opaUrlDecode(t.signature());
        ArrayNode out = GoJson.NODES.arrayNode();
        out.add(header);
        out.add(payload);
        out.add(HexFormat.of().formatHex(sig));
        return out;
    }

    // ---------------------------------------------------------------- io.jwt.verify_*

    static JsonNode verifyHmac(String digest, JsonNode jwt, JsonNode secret) throws BuiltinException {
        string(jwt, 1);
        String key = string(secret, 2);
        Token t = split(jwt);
        byte[] mac = Sig.hmac(digest, key.getBytes(StandardCharsets.UTF_8), t.signingInput());
        byte[] sig = GoBase64.opaUrlDecode(t.signature());
        return GoJson.NODES.booleanNode(MessageDigest.isEqual(sig, mac));
    }

    /** The family of an asymmetric verify builtin. */
    enum Family { RSA, PSS, ECDSA, EDDSA }

    static JsonNode verifyAsymmetric(Family family, String digest, JsonNode jwt, JsonNode keyArg) throws BuiltinException {
        Token t = split(jwt);
        List<VerificationKey> keys = keys(string(keyArg, 2));
        byte[] sig = GoBase64.opaUrlDecode(t.signature());
        Header header = parseHeader(decodeHeader(t));
        byte[] input = t.signingInput();
        if (!header.kid.isEmpty()) {
            VerificationKey k = byKid(header.kid, keys);
            if (k != null) {
                return GoJson.NODES.booleanNode(verifyRaw(family, digest, k, input, sig));
            }
        }
        for (VerificationKey k : keys) {
            if (!k.alg().isEmpty() && !header.alg.equals(k.alg())) {
                continue;
            }
            if (verifyRaw(family, digest, k, input, sig)) {
                return GoJson.NODES.booleanNode(true);
            }
        }
        return GoJson.NODES.booleanNode(false);
    }

    /** The checks of OPA's verify_* builtins: the exported key must be a public key of the family. */
    private static boolean verifyRaw(Family family, String digest, VerificationKey k, byte[] input, byte[] sig) {
        if (k.privateJwk() || k.key() == null) {
            return false;
        }
        return switch (family) {
            case RSA -> Sig.rsaPkcs1(k.key(), digest, input, sig);
            case PSS -> Sig.rsaPss(k.key(), digest, input, sig, -1);
            case ECDSA -> {
                int n = sig.length / 2;
                yield Sig.ecdsa(k.key(), digest, input, java.util.Arrays.copyOfRange(sig, 0, n),
                        java.util.Arrays.copyOfRange(sig, n, sig.length));
            }
            case EDDSA -> Sig.ed25519(k.key(), input, sig);
        };
    }

    // ---------------------------------------------------------------- io.jwt.decode_verify

    static JsonNode decodeVerify(JsonNode jwt, JsonNode constraintsArg, long nowNanos) throws BuiltinException {
        if (!constraintsArg.isObject()) {
            throw new BuiltinException("operand 2 must be object but got " + typeName(constraintsArg));
        }
        String secret = "";
        String alg = "";
        String iss = "";
        String aud = "";
        List<VerificationKey> keys = null;
        BigDecimal time = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = constraintsArg.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "cert" -> keys = keys(constraintString("cert", v));
                case "secret" -> secret = constraintString("secret", v);
                case "alg" -> alg = constraintString("alg", v);
                case "iss" -> iss = constraintString("iss", v);
                case "aud" -> aud = constraintString("aud", v);
                case "time" -> time = time(v);
                default -> throw new BuiltinException("unknown token validation constraint: " + e.getKey());
            }
        }
        if (time == null) {
            time = BigDecimal.valueOf(nowNanos);
        }
        int keyKinds = (keys != null ? 1 : 0) + (secret.isEmpty() ? 0 : 1);
        if (keyKinds > 1) {
            throw new BuiltinException("duplicate key constraints");
        }
        if (keyKinds < 1) {
            throw new BuiltinException("no key constraint");
        }

        JsonNode a = jwt;
        Token t;
        String payloadText;
        ObjectNode decodedHeader;
        while (true) {
            t = split(a);
            decodedHeader = decodeHeader(t);
            Header header = parseHeader(decodedHeader);
            if (!header.valid()) {
                return unverified();
            }
            if (!alg.isEmpty() && !alg.equals(header.alg)) {
                return unverified();
            }
            byte[] sig = GoBase64.opaUrlDecode(t.signature());
            if (!jwsVerifyAny(keys, secret, header.kid, header.alg, t.signingInput(), sig)) {
                return unverified();
            }
            payloadText = text(GoBase64.opaUrlDecode(t.payload()), "JWT payload had invalid encoding");
            if (header.cty.equalsIgnoreCase("JWT")) {
                a = GoJson.NODES.textNode(payloadText);
                continue;
            }
            break;
        }
        ObjectNode payload = jsonObject(payloadText);

        if (!iss.isEmpty()) {
            JsonNode v = payload.get("iss");
            if (v == null) {
                return unverified();
            }
            if (!v.isTextual()) {
                throw new BuiltinException("iss value must be a string");
            }
            if (!iss.equals(v.textValue())) {
                return unverified();
            }
        }
        JsonNode audience = payload.get("aud");
        if (audience != null) {
            if (!validAudience(aud, audience)) {
                return unverified();
            }
        } else if (!aud.isEmpty()) {
            return unverified();
        }
        BigDecimal seconds = BigDecimal.valueOf(time.doubleValue() / 1e9);
        JsonNode exp = payload.get("exp");
        if (exp != null) {
            if (!exp.isNumber()) {
                throw new BuiltinException("exp value must be a number");
            }
            if (seconds.compareTo(exp.decimalValue()) >= 0) {
                return unverified();
            }
        }
        JsonNode nbf = payload.get("nbf");
        if (nbf != null) {
            if (!nbf.isNumber()) {
                throw new BuiltinException("nbf value must be a number");
            }
            if (seconds.compareTo(nbf.decimalValue()) < 0) {
                return unverified();
            }
        }
        ArrayNode out = GoJson.NODES.arrayNode();
        out.add(true);
        out.add(decodedHeader);
        out.add(payload);
        return out;
    }

    private static ArrayNode unverified() {
        ArrayNode out = GoJson.NODES.arrayNode();
        out.add(false);
        out.addObject();
        out.addObject();
        return out;
    }

    private static boolean validAudience(String want, JsonNode aud) {
        if (aud.isTextual()) {
            return aud.textValue().equals(want);
        }
        if (aud.isArray()) {
            for (JsonNode e : aud) {
                if (e.isTextual() && e.textValue().equals(want)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String constraintString(String name, JsonNode v) throws BuiltinException {
        if (!v.isTextual()) {
            throw new BuiltinException(name + " constraint: must be a string");
        }
        return v.textValue();
    }

    private static BigDecimal time(JsonNode v) throws BuiltinException {
        if (!v.isNumber()) {
            throw new BuiltinException("token time constraint: must be a number");
        }
        double d = v.decimalValue().doubleValue();
        if (Double.isInfinite(d)) {
            throw new BuiltinException("token time constraint: unvalid float64");
        }
        if (d < 0) {
            throw new BuiltinException("token time constraint: must not be negative");
        }
        return new BigDecimal(d);
    }

    /** jws verification as OPA's decode_verify does it (JWS library semantics, by the header's alg). */
    private static boolean jwsVerifyAny(List<VerificationKey> keys, String secret, String kid, String alg,
            byte[] input, byte[] sig) {
        if (keys != null) {
            if (!kid.isEmpty()) {
                VerificationKey k = byKid(kid, keys);
                if (k != null) {
                    return jwsVerify(k.key(), k.secret(), alg, input, sig);
                }
            }
            for (VerificationKey k : keys) {
                if (!k.alg().isEmpty() && !alg.equals(k.alg())) {
                    continue;
                }
                if (jwsVerify(k.key(), k.secret(), alg, input, sig)) {
                    return true;
                }
            }
            return false;
        }
        return jwsVerify(null, secret.getBytes(StandardCharsets.UTF_8), alg, input, sig);
    }

    private static boolean jwsVerify(PublicKey key, byte[] secret, String alg, byte[] input, byte[] sig) {
        if (!Sig.known(alg)) {
            return false;
        }
        if (alg.startsWith("HS")) {
            return secret != null && MessageDigest.isEqual(sig, Sig.hmac(Sig.digest(alg), secret, input));
        }
        if (key == null) {
            return false;
        }
        if (alg.startsWith("RS")) {
            return Sig.rsaPkcs1(key, Sig.digest(alg), input, sig);
        }
        if (alg.startsWith("PS")) {
            String d = Sig.digest(alg);
            return Sig.rsaPss(key, d, input, sig, Sig.hash(d, new byte[0]).length);
        }
        if (alg.startsWith("ES")) {
            if (!(key instanceof ECPublicKey ec)) {
                return false;
            }
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            if (sig.length != 2 * size) {
                return false;
            }
            return Sig.ecdsa(key, Sig.digest(alg), input, java.util.Arrays.copyOfRange(sig, 0, size),
                    java.util.Arrays.copyOfRange(sig, size, sig.length));
        }
        return Sig.ed25519(key, input, sig);
    }

    // ---------------------------------------------------------------- io.jwt.encode_sign(_raw)

    static JsonNode encodeSign(JsonNode headers, JsonNode payload, JsonNode key) throws BuiltinException {
        return sign(GoJson.write(headers), GoJson.write(payload), GoJson.write(key));
    }

    static JsonNode encodeSignRaw(JsonNode headers, JsonNode payload, JsonNode key) throws BuiltinException {
        String k = string(key, 3);
        return sign(string(headers, 1), string(payload, 2), k);
    }

    private static JsonNode sign(String headers, String payload, String jwkText) throws BuiltinException {
        List<Jwk> keys = Jwk.parseSet(jwkText);
        if (keys.isEmpty()) {
            throw new BuiltinException("no keys found in JWK set");
        }
        Jwk key = keys.get(0);
        JsonNode h;
        try {
            h = GoJson.parse(headers);
        } catch (IOException e) {
            throw new BuiltinException("missing or invalid 'alg' header", e);
        }
        JsonNode algNode = h.isObject() ? h.get("alg") : null;
        if (algNode == null || !algNode.isTextual()) {
            throw new BuiltinException("missing or invalid 'alg' header");
        }
        String alg = algNode.textValue();
        if (!Sig.known(alg)) {
            throw new BuiltinException("unknown JWS algorithm: " + alg);
        }
        JsonNode typ = h.get("typ");
        boolean jsonRequired = typ == null || !typ.isTextual() || typ.textValue().equals("JWT");
        if (jsonRequired && !validJson(payload)) {
            throw new BuiltinException("type is JWT but payload is not JSON");
        }
        String input = GoBase64.rawUrlEncode(headers.getBytes(StandardCharsets.UTF_8)) + "."
                + GoBase64.rawUrlEncode(payload.getBytes(StandardCharsets.UTF_8));
        byte[] sig = Sig.sign(key, alg, input.getBytes(StandardCharsets.UTF_8));
        return GoJson.NODES.textNode(input + "." + GoBase64.rawUrlEncode(sig));
    }

    private static boolean validJson(String s) {
        try {
            GoJson.parse(s);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- keys

    /** A PEM certificate or public key, or a JWK (set), as OPA's getKeysFromCertOrJWK reads it. */
    private static List<VerificationKey> keys(String text) throws BuiltinException {
        GoPem.Block block = GoPem.decode(text);
        if (block != null) {
            if (!block.rest().isEmpty()) {
                throw new BuiltinException("extra data after a PEM certificate block");
            }
            if (block.type().equals("CERTIFICATE")) {
                try {
                    PublicKey k = CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(block.bytes())).getPublicKey();
                    return List.of(new VerificationKey(k, null, false, "", ""));
                } catch (GeneralSecurityException | RuntimeException e) {
                    throw new BuiltinException("failed to parse a PEM certificate: " + e.getMessage(), e);
                }
            }
            if (block.type().equals("PUBLIC KEY")) {
                return List.of(new VerificationKey(publicKey(block.bytes()), null, false, "", ""));
            }
            throw new BuiltinException("failed to extract a Key from the PEM certificate");
        }
        List<VerificationKey> out = new ArrayList<>();
        for (Jwk k : Jwk.parseSet(text)) {
            String alg = k.alg() == null ? "" : k.alg();
            if (!alg.isEmpty() && !Sig.known(alg)) {
                continue;
            }
            out.add(new VerificationKey(k.publicKey(), k.secret(), k.privateKey() != null, alg,
                    k.kid() == null ? "" : k.kid()));
        }
        return out;
    }

    static PublicKey publicKey(byte[] spki) throws BuiltinException {
        for (String kind : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not this kind
            }
        }
        throw new BuiltinException("failed to parse a PEM public key");
    }

    private static VerificationKey byKid(String kid, List<VerificationKey> keys) {
        for (VerificationKey k : keys) {
            if (k.kid().equals(kid)) {
                return k;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- token parts

    private static Token split(JsonNode jwt) throws BuiltinException {
        String s = string(jwt, 1);
        if (!s.contains(".")) {
            throw new BuiltinException("encoded JWT had no period separators");
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 3) {
            throw new BuiltinException("encoded JWT must have 3 sections, found " + parts.length);
        }
        return new Token(parts[0], parts[1], parts[2]);
    }

    private static ObjectNode decodeHeader(Token t) throws BuiltinException {
        String text;
        try {
            text = text(GoBase64.opaUrlDecode(t.header()), "JWT header had invalid encoding");
        } catch (BuiltinException e) {
            throw new BuiltinException("JWT header had invalid encoding: " + e.getMessage(), e);
        }
        ObjectNode h;
        try {
            h = jsonObject(text);
        } catch (BuiltinException e) {
            throw new BuiltinException("bad JWT header: " + e.getMessage(), e);
        }
        if (h.has("enc")) {
            throw new BuiltinException("JWT is a JWE object, which is not supported");
        }
        return h;
    }

    private static Header parseHeader(ObjectNode decoded) throws BuiltinException {
        Header h = new Header();
        for (Iterator<Map.Entry<String, JsonNode>> it = decoded.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "alg" -> h.alg = headerString("alg", v);
                case "kid" -> h.kid = headerString("kid", v);
                case "typ" -> headerString("typ", v);
                case "cty" -> h.cty = headerString("cty", v);
                case "crit" -> {
                    if (!v.isArray()) {
                        throw new BuiltinException("crit: must be a list");
                    }
                    h.crit = new HashSet<>();
                    for (JsonNode c : v) {
                        if (!c.isTextual()) {
                            break; // OPA stops reading the list at the first non-string
                        }
                        h.crit.add(c.textValue());
                    }
                    if (h.crit.isEmpty()) {
                        throw new BuiltinException("crit: must be a nonempty list");
                    }
                }
                default -> h.unknown.add(e.getKey());
            }
        }
        return h;
    }

    private static String headerString(String name, JsonNode v) throws BuiltinException {
        if (!v.isTextual()) {
            throw new BuiltinException(name + ": must be a string");
        }
        return v.textValue();
    }

    private static ObjectNode jsonObject(String text) throws BuiltinException {
        JsonNode v;
        try {
            v = GoJson.parse(text);
        } catch (IOException e) {
            throw new BuiltinException("invalid JSON: " + e.getMessage(), e);
        }
        if (!(v instanceof ObjectNode o)) {
            throw new BuiltinException("decoded JSON type was not an Object");
        }
        return o;
    }

    private static String text(byte[] bytes, String what) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String string(JsonNode v, int pos) throws BuiltinException {
        if (v == null || !v.isTextual()) {
            throw new BuiltinException("operand " + pos + " must be string but got " + typeName(v));
        }
        return v.textValue();
    }

    static String typeName(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        } else if (v.isBoolean()) {
            return "boolean";
        } else if (v.isNumber()) {
            return "number";
        } else if (v.isTextual()) {
            return "string";
        } else if (v.isArray()) {
            return "array";
        }
        return "object";
    }

    /** Go's strings.Trim(s, cutset) for an ASCII cutset. */
    private static String trim(String s, String cutset) {
        int b = 0;
        int e = s.length();
        while (b < e && cutset.indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (e > b && cutset.indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }
}
