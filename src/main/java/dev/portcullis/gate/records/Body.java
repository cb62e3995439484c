package dev.portcullis.gate.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.json.LogText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A request body parsed by the strict parser, with typed readers. Shapes are checked here (a 400
 * names the member); what the values mean is for the policies.
 */
public final class Body {
    /** Longest text accepted in any member; notes and narratives stay well below it. */
    static final int MAX_TEXT = 20_000;

    private final ObjectNode node;

    private Body(ObjectNode node) {
        this.node = node;
    }

    /** Parses {@code bytes}; members outside {@code allowed} are refused. */
    public static Body parse(RequestParser parser, byte[] bytes, Set<String> allowed) {
        Body b = parse(parser, bytes);
        b.only(allowed);
        return b;
    }

    public static Body parse(RequestParser parser, byte[] bytes) {
        try {
            return new Body((ObjectNode) parser.parseObject(bytes));
        } catch (InputRejectedException e) {
            throw new RecordException(e.code(), e.status(), e.getMessage());
        }
    }

    public static Body of(ObjectNode node) {
        return new Body(node);
    }

    public ObjectNode node() {
        return node;
    }

    public void only(Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String m = it.next();
            if (!allowed.contains(m)) {
                throw invalid("unknown member " + LogText.quote(m) + "; expected one of " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    public boolean has(String name) {
        return node.has(name);
    }

    /** A string member, null when absent or JSON null. */
    public String text(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw invalid(name + " must be a string");
        }
        if (n.textValue().length() > MAX_TEXT) {
            throw invalid(name + " is longer than " + MAX_TEXT + " characters");
        }
        return n.textValue();
    }

    public String requiredText(String name) {
        String s = text(name);
        if (s == null) {
            throw invalid(name + " is required");
        }
        return s;
    }

    public Instant instant(String name) {
        String s = text(name);
        return s == null ? null : Times.parse(name, s);
    }

    public Instant requiredInstant(String name) {
        return Times.parse(name, requiredText(name));
    }

    /** An integral number member that fits an int, null when absent. */
    public Integer integer(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw invalid(name + " must be a whole number");
        }
        return n.intValue();
    }

    public Boolean bool(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw invalid(name + " must be true or false");
        }
        return n.booleanValue();
    }

    /** An array of strings, null when absent. */
    public List<String> strings(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        return strings(name, n);
    }

    public static List<String> strings(String name, JsonNode n) {
        if (!n.isArray()) {
            throw invalid(name + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : n) {
            if (!v.isTextual() || v.textValue().length() > MAX_TEXT) {
                throw invalid(name + " must be an array of strings");
            }
            out.add(v.textValue());
        }
        return out;
    }

    public Body object(String name) {
        JsonNode n = node.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw invalid(name + " must be an object");
        }
        return new Body((ObjectNode) n);
    }

    public static RecordException invalid(String message) {
        return new RecordException(RecordError.INVALID_REQUEST, message);
    }
}
