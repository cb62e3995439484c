package dev.portcullis.gate.api;

import dev.portcullis.gate.json.LogText;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of query parameters: each known parameter at most once, booleans exactly
 * {@code true}/{@code false}, integers in range, instants ISO-8601 within years 0001-9999, no
 * control characters. Anything else is an {@link IllegalArgumentException} whose message is safe
 * to return (client text quoted and escaped).
 */
public final class QueryParams {

    static final int MAX_VALUE_CHARS = 1024;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final MultivaluedMap<String, String> params;

    public QueryParams(MultivaluedMap<String, String> params, String... known) {
        this.params = params;
        Set<String> names = Set.of(known);
        for (var e : params.entrySet()) {
            if (names.contains(e.getKey()) && e.getValue().size() > 1) {
                throw new IllegalArgumentException("query parameter " + e.getKey() + " given more than once");
            }
        }
    }

    public String string(String name) {
        List<String> vs = params.get(name);
        if (vs == null || vs.isEmpty()) {
            return null;
        }
        String v = vs.get(0);
        if (v.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException(name + " is longer than " + MAX_VALUE_CHARS + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < 0x20 || v.charAt(i) == 0x7f) {
                throw new IllegalArgumentException(name + " contains a control character");
            }
        }
        return v;
    }

    public Boolean bool(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(name + " must be true or false, not " + LogText.quote(v));
        };
    }

    boolean bool(String name, boolean dflt) {
        Boolean b = bool(name);
        return b == null ? dflt : b;
    }

    int integer(String name, int min, int max, int dflt) {
        String v = string(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            if (v.length() > 10) {
                throw new NumberFormatException();
            }
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be an integer from " + min + " to " + max);
        }
        return n;
    }

    Instant instant(String name) {
        String v = string(name);
        if (v == null) {
            return null;
        }
        Instant t;
        try {
            t = Instant.parse(v);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-27T10:00:00Z, not "
                    + LogText.quote(v));
        }
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw new IllegalArgumentException(name + " must lie in the years 0001-9999");
        }
        // the database drivers convert through OffsetDateTime: prove the conversion here, not there
        t.atOffset(ZoneOffset.UTC);
        return t;
    }
}
