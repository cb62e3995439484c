package dev.portcullis.gate.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request half of the hostile corpus, {@code hostile/requests.txt}. Each case is
 *
 * <pre>
 * === id
 * METHOD /path?query [@client|@responder|@steward|@admin]
 * H Header-Name: value            (zero or more)
 * body line                        (zero or more; joined with \n, no final newline)
 * --> STATUS code
 * </pre>
 *
 * In the path, header values and body, {@code \xNN} is the raw byte NN and
 * {@code <<repeat N:TEXT>>} is TEXT N times (expanded first). {@code Host}, {@code Connection:
 * close}, {@code Content-Length} and (for a body) {@code Content-Type: application/json} are added
 * unless the case sets them. Lines starting with {@code #} outside a case are comments.
 */
final class HostileCorpus {

    /** One hostile request and what the gate must answer: its status and error code. */
    record Case(String id, String method, String target, byte[] request, int status, String code, String source) {
        @Override
        public String toString() {
            return source + ":" + id;
        }
    }

    static final Map<String, String> TOKENS = Map.of("@client", "dev-client", "@responder", "dev-responder",
            "@steward", "dev-steward", "@admin", "dev-admin");

    private static final String REPEAT = "<<repeat ";
    private static final Pattern EXPECT = Pattern.compile("--> (\\d{3}) (\\S+)");

    private HostileCorpus() {}

    static List<Case> requests(String resource) {
        List<Case> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String[] lines = text(resource).split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String l = lines[i];
            if (l.isBlank() || l.startsWith("#")) {
                i++;
                continue;
            }
            if (!l.startsWith("=== ")) {
                throw new IllegalArgumentException(resource + " line " + (i + 1) + ": expected '=== id', got " + l);
            }
            String id = l.substring(4).trim();
            if (!ids.add(id)) {
                throw new IllegalArgumentException(resource + ": duplicate case id " + id);
            }
            // METHOD TARGET [@role]; the target may itself contain spaces (a hostile request line)
            String line = lines[++i];
            String method = line.substring(0, line.indexOf(' '));
            String target = line.substring(method.length() + 1);
            String token = null;
            int at = target.lastIndexOf(" @");
            if (at >= 0) {
                token = TOKENS.get(target.substring(at + 1));
                if (token == null) {
                    throw new IllegalArgumentException(resource + " case " + id + ": unknown role " + target.substring(at + 1));
                }
                target = target.substring(0, at);
            }
            i++;
            List<String> headers = new ArrayList<>();
            while (lines[i].startsWith("H ")) {
                headers.add(lines[i].substring(2));
                i++;
            }
            StringBuilder body = new StringBuilder();
            boolean first = true;
            while (!lines[i].startsWith("--> ")) {
                if (!first) {
                    body.append('\n');
                }
                body.append(lines[i]);
                first = false;
                i++;
            }
            Matcher m = EXPECT.matcher(lines[i]);
            if (!m.matches()) {
                throw new IllegalArgumentException(resource + " case " + id + ": bad expectation " + lines[i]);
            }
            i++;
            out.add(new Case(id, method, target, request(method, target, token, headers, body.toString()),
                    Integer.parseInt(m.group(1)), m.group(2), "requests"));
        }
        return out;
    }

    static byte[] request(String method, String target, String token, List<String> headers, String body) {
        byte[] b = unescape(body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, unescape(method + " " + target + " HTTP/1.1\r\n"));
        write(out, "Host: 127.0.0.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII));
        boolean length = false;
        boolean type = false;
        for (String h : headers) {
            String name = h.substring(0, Math.max(0, h.indexOf(':'))).trim().toLowerCase(java.util.Locale.ROOT);
            length |= name.equals("content-length") || name.equals("transfer-encoding");
            type |= name.equals("content-type");
            write(out, unescape(h + "\r\n"));
        }
        if (token != null) {
            write(out, ("Authorization: Bearer " + token + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        if (!type && b.length > 0) {
            write(out, "Content-Type: application/json\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (!length) {
            write(out, ("Content-Length: " + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        write(out, "\r\n".getBytes(StandardCharsets.US_ASCII));
        write(out, b);
        return out.toByteArray();
    }

    /** Expands {@code <<repeat N:TEXT>>}, then turns {@code \xNN} into raw bytes; everything else is UTF-8. */
    static byte[] unescape(String s) {
        String t = s;
        // the last opening first: it holds no other repeat, so repeats nest
        for (int open = t.lastIndexOf(REPEAT); open >= 0; open = t.lastIndexOf(REPEAT)) {
            int colon = t.indexOf(':', open);
            int close = t.indexOf(">>", colon);
            int times = Integer.parseInt(t.substring(open + REPEAT.length(), colon));
            t = t.substring(0, open) + t.substring(colon + 1, close).repeat(times) + t.substring(close + 2);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(t.length());
        int start = 0;
        for (int i = 0; i < t.length(); i++) {
            if (t.startsWith("\\x", i) && i + 4 <= t.length()
                    && isHex(t.charAt(i + 2)) && isHex(t.charAt(i + 3))) {
                write(out, t.substring(start, i).getBytes(StandardCharsets.UTF_8));
                out.write(Integer.parseInt(t.substring(i + 2, i + 4), 16));
                start = i + 4;
                i += 3;
            }
        }
        write(out, t.substring(start).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static void write(ByteArrayOutputStream out, byte[] b) {
        out.write(b, 0, b.length);
    }

    static String text(String resource) {
        return new String(bytes(resource), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String resource) {
        try (InputStream in = HostileCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
