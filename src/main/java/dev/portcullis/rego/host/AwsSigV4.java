package dev.portcullis.rego.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * OPA's {@code providers.aws.sign_req} (topdown/providers.go, internal/providers/aws SignV4):
 * AWS Signature Version 4 of an http.send-style request object at a given time.
 */
final class AwsSigV4 {

    private static final Set<String> REQUIRED_CONFIG = Set.of("aws_service", "aws_access_key",
            "aws_secret_access_key", "aws_region");
    /** The request keys http.send accepts (a sign_req request is validated as one). */
    private static final Set<String> REQUEST_KEYS = Set.of("method", "url", "body", "enable_redirect",
            "force_json_decode", "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs", "tls_ca_cert",
            "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file",
            "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable",
            "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache", "force_cache",
            "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts",
            "cache_ignored_headers");
    /** Headers a proxy may change: never signed. */
    private static final Set<String> IGNORED = Set.of("authorization", "user-agent", "x-amzn-trace-id");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private AwsSigV4() {}

    /** The request's headers with the signature added (the builtin's result is the request with these). */
    static JsonNode signedHeaders(JsonNode req, JsonNode config, JsonNode timeNs) throws BuiltinException {
        if (!req.isObject()) {
            throw new BuiltinException("operand 1 must be object");
        }
        if (!config.isObject()) {
            throw new BuiltinException("operand 2 must be object");
        }
        for (String k : REQUIRED_CONFIG) {
            if (!config.has(k)) {
                throw new BuiltinException("operand 2 missing required AWS config parameters(s)");
            }
            if (!config.get(k).isTextual()) {
                throw new BuiltinException("operand 2 invalid values for required AWS config parameters(s)");
            }
        }
        String service = config.get("aws_service").textValue();
        String accessKey = config.get("aws_access_key").textValue();
        String secretKey = config.get("aws_secret_access_key").textValue();
        String region = config.get("aws_region").textValue();
        JsonNode token = config.get("aws_session_token");
        String sessionToken = token != null && token.isTextual() ? token.textValue() : "";

        if (!timeNs.isNumber()) {
            throw new BuiltinException("operand 3 must be number");
        }
        long ns;
        try {
            // OPA reads the number's text as an int64: no fraction, no exponent
            ns = Long.parseLong(timeNs instanceof GoJson.Literal l ? l.text() : timeNs.asText());
        } catch (NumberFormatException e) {
            throw new BuiltinException("operand 3 could not convert time_ns value into a unix timestamp");
        }

        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            if (!REQUEST_KEYS.contains(it.next())) {
                throw new BuiltinException("operand 1 invalid request parameters(s)");
            }
        }
        if (!req.has("method") || !req.has("url")) {
            throw new BuiltinException("operand 1 missing required request parameters(s)");
        }
        JsonNode headersArg = req.get("headers");
        if (headersArg != null && !headersArg.isObject()) {
            throw new BuiltinException("operand 1 headers must be an object");
        }
        if (!req.get("url").isTextual() || !req.get("method").isTextual()) {
            throw new BuiltinException("operand 1 invalid values for required request parameters(s)");
        }
        GoUrl url = GoUrl.parse(req.get("url").textValue());
        String method = req.get("method").textValue();

        byte[] body;
        if (req.has("raw_body")) {
            JsonNode raw = req.get("raw_body");
            body = (raw.isTextual() ? raw.textValue() : "").getBytes(StandardCharsets.UTF_8);
        } else if (req.has("body")) {
            body = GoJson.write(req.get("body")).getBytes(StandardCharsets.UTF_8);
        } else {
            body = new byte[0];
        }

        boolean unsignedPayload = false;
        JsonNode dps = config.get("disable_payload_signing");
        if (dps != null) {
            if (!dps.isBoolean()) {
                throw new BuiltinException("operand 2 invalid value for 'disable_payload_signing' in AWS config");
            }
            unsignedPayload = dps.booleanValue();
        }

        // request headers: a non-string value counts as the empty string, as in OPA
        Map<String, String> headers = new LinkedHashMap<>();
        if (headersArg != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = headersArg.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                headers.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : "");
            }
        }

        Instant now = Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
        String day = DAY.format(now);
        String stamp = STAMP.format(now);
        String contentSha = unsignedPayload ? "UNSIGNED-PAYLOAD" : hex(Sig.hash("SHA-256", body));

        Map<String, String> aws = new LinkedHashMap<>();
        aws.put("host", url.host());
        aws.put("x-amz-date", stamp);
        if (service.equals("s3") || service.equals("glacier")) {
            aws.put("x-amz-content-sha256", contentSha);
        }
        if (!sessionToken.isEmpty()) {
            aws.put("x-amz-security-token", sessionToken);
        }
        Map<String, String> toSign = new TreeMap<>(GoJson::compareUtf8);
        toSign.putAll(aws);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String lower = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!IGNORED.contains(lower)) {
                toSign.put(lower, h.getValue());
            }
        }
        StringBuilder canonical = new StringBuilder();
        canonical.append(method).append('\n').append(url.escapedPath()).append('\n').append(url.rawQuery()).append('\n');
        for (Map.Entry<String, String> h : toSign.entrySet()) {
            canonical.append(h.getKey()).append(':').append(h.getValue()).append('\n');
        }
        canonical.append('\n');
        String signedHeaders = String.join(";", new ArrayList<>(toSign.keySet()));
        canonical.append(signedHeaders).append('\n').append(contentSha);

        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + stamp + "\n" + scope + "\n"
                + hex(Sig.hash("SHA-256", canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = mac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        key = mac(key, region);
        key = mac(key, service);
        key = mac(key, "aws4_request");
        String signature = hex(mac(key, stringToSign));
        String authorization = "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ",SignedHeaders="
                + signedHeaders + ",Signature=" + signature;

        ObjectNode signed = GoJson.NODES.objectNode();
        headers.forEach(signed::put);
        signed.put("Authorization", authorization);
        aws.forEach(signed::put);
        return signed;
    }

    private static byte[] mac(byte[] key, String msg) {
        return Sig.hmac("SHA-256", key, msg.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** The parts of Go's url.Parse that signing reads. */
    record GoUrl(String host, String escapedPath, String rawQuery) {

        private static final String PATH_OK = "!$&'()*+,;=:@[]";

        static GoUrl parse(String raw) throws BuiltinException {
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw new BuiltinException("net/url: invalid control character in URL");
                }
            }
            String rest = raw;
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                rest = rest.substring(0, hash);
            }
            if (rest.equals("*")) {
                return new GoUrl("", "*", "");
            }
            String query = "";
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            boolean scheme = false;
            for (int i = 0; i < rest.length(); i++) {
                char c = rest.charAt(i);
                if (Character.isLetter(c) && c < 0x80) {
                    continue;
                }
                if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
                    if (i == 0) {
                        break;
                    }
                    continue;
                }
                if (c == ':') {
                    if (i == 0) {
                        throw new BuiltinException("missing protocol scheme");
                    }
                    rest = rest.substring(i + 1);
                    scheme = true;
                }
                break;
            }
            String host = "";
            if ((scheme || !rest.startsWith("///")) && rest.startsWith("//")) {
                String authority = rest.substring(2);
                int slash = authority.indexOf('/');
                rest = slash < 0 ? "" : authority.substring(slash);
                authority = slash < 0 ? authority : authority.substring(0, slash);
                int at = authority.lastIndexOf('@');
                host = at < 0 ? authority : authority.substring(at + 1);
                int colon = host.lastIndexOf(':');
                if (colon >= 0 && !host.startsWith("[")) {
                    for (char c : host.substring(colon + 1).toCharArray()) {
                        if (c < '0' || c > '9') {
                            throw new BuiltinException("invalid port in URL host");
                        }
                    }
                }
            } else if (!scheme) {
                int slash = rest.indexOf('/');
                String first = slash < 0 ? rest : rest.substring(0, slash);
                if (first.contains(":")) {
                    throw new BuiltinException("first path segment in URL cannot contain colon");
                }
            }
            byte[] path = unescape(rest);
            return new GoUrl(host, validEncoded(rest) ? rest : escape(path), query);
        }

        private static boolean validEncoded(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (PATH_OK.indexOf(c) >= 0 || c == '%') {
                    continue;
                }
                if (shouldEscape(c)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean shouldEscape(int c) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                return false;
            }
            return "-_.~$&+,/:;=@".indexOf(c) < 0;
        }

        private static byte[] unescape(String s) throws BuiltinException {
            byte[] in = s.getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < in.length; i++) {
                if (in[i] == '%') {
                    if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
                        throw new BuiltinException("invalid URL escape");
                    }
                    out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                    i += 2;
                } else {
                    out.write(in[i]);
                }
            }
            return out.toByteArray();
        }

        private static String escape(byte[] path) {
            StringBuilder sb = new StringBuilder();
            for (byte b : path) {
                int c = b & 0xff;
                if (c < 0x80 && !shouldEscape(c)) {
                    sb.append((char) c);
                } else {
                    sb.append('%').append(String.format("%02X", c));
                }
            }
            return sb.toString();
        }
    }
}
