package dev.portcullis.rego.host;

import java.nio.charset.StandardCharsets;

/**
 * Go's {@code encoding/pem.Decode}: the first well-formed block anywhere in the input (text before
 * it is skipped, malformed candidates are passed over) and what follows it. Headers
 * ({@code Proc-Type: ...}) are not supported: such a block is not recognised.
 */
final class GoPem {

    record Block(String type, byte[] bytes, String rest) {}

    private GoPem() {}

    /** The first block, or null when there is none. */
    static Block decode(String data) {
        String rest = data;
        while (true) {
            if (rest.startsWith("-----BEGIN ")) {
                rest = rest.substring("-----BEGIN ".length());
            } else {
                int at = rest.indexOf("\n-----BEGIN ");
                if (at < 0) {
                    return null;
                }
                rest = rest.substring(at + "\n-----BEGIN ".length());
            }
            String[] tl = line(rest);
            String typeLine = tl[0];
            rest = tl[1];
            if (!typeLine.endsWith("-----")) {
                continue;
            }
            String type = typeLine.substring(0, typeLine.length() - 5);
            int endIndex;
            int endTrailerIndex;
            if (rest.startsWith("-----END ")) {
                endIndex = 0;
                endTrailerIndex = "-----END ".length();
            } else {
                endIndex = rest.indexOf("\n-----END ");
                endTrailerIndex = endIndex + "\n-----END ".length();
            }
            if (endIndex < 0) {
                continue;
            }
            String endTrailer = rest.substring(endTrailerIndex);
            int trailerLen = type.length() + 5;
            if (endTrailer.length() < trailerLen) {
                continue;
            }
            String restOfEndLine = endTrailer.substring(trailerLen);
            endTrailer = endTrailer.substring(0, trailerLen);
            if (!endTrailer.startsWith(type) || !endTrailer.endsWith("-----")) {
                continue;
            }
            if (!line(restOfEndLine)[0].isEmpty()) {
                continue;
            }
            String body = rest.substring(0, endIndex).replace(" ", "").replace("\t", "");
            if (body.indexOf(':') >= 0) {
                continue; // headers: not supported
            }
            byte[] bytes;
            try {
                bytes = GoBase64.stdDecode(body);
            } catch (BuiltinException e) {
                continue;
            }
            String after = line(rest.substring(endIndex + "\n-----END ".length() - 1))[1];
            return new Block(type, bytes, after);
        }
    }

    /** Go's getLine: the line without its end-of-line and trailing spaces/tabs/CR, and the rest. */
    private static String[] line(String s) {
        int nl = s.indexOf('\n');
        String l;
        String rest;
        if (nl < 0) {
            l = s;
            rest = "";
        } else {
            l = s.substring(0, nl);
            rest = s.substring(nl + 1);
        }
        int e = l.length();
        while (e > 0 && (l.charAt(e - 1) == ' ' || l.charAt(e - 1) == '\t' || l.charAt(e - 1) == '\r')) {
            e--;
        }
        return new String[] {l.substring(0, e), rest};
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
