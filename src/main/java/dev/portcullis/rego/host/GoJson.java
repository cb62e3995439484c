package dev.portcullis.rego.host;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON as OPA's Go code reads and writes it: numbers keep their literal text (OPA's json.Number),
 * a duplicate key keeps its last value, trailing data is an error, and output is Go's
 * {@code encoding/json}: keys sorted byte-wise, {@code <>&} and U+2028/U+2029 escaped.
 */
final class GoJson {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();

    private GoJson() {}

    /** A number that remembers the text it was written as. */
    static final class Literal extends DecimalNode {
        private static final long serialVersionUID = 1L;
        private final String text;

        Literal(String text) {
            super(new BigDecimal(text));
            this.text = text;
        }

        String text() {
            return text;
        }

        @Override
        public String asText() {
            return text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DecimalNode d && d.decimalValue().compareTo(decimalValue()) == 0;
        }

        @Override
        public int hashCode() {
            return decimalValue().stripTrailingZeros().hashCode();
        }
    }

    static JsonNode number(String literal) {
        return new Literal(literal);
    }

    /** Parses one JSON value; anything after it but white space is an error. */
    static JsonNode parse(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("unexpected end of JSON input");
            }
            JsonNode v = value(p, t);
            if (p.nextToken() != null) {
                throw new IOException("invalid character after top-level value");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IOException("invalid number", e);
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(value(p, e));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Literal(p.getText());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected " + t);
        }
    }

    /** Go's json.Marshal of the value (sets arrive from the policy as arrays already). */
    static String write(JsonNode v) {
        StringBuilder sb = new StringBuilder();
        write(v, sb);
        return sb.toString();
    }

    private static void write(JsonNode v, StringBuilder sb) {
        if (v.isObject()) {
            List<String> keys = new ArrayList<>();
            v.fieldNames().forEachRemaining(keys::add);
            keys.sort(GoJson::compareUtf8);
            sb.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(keys.get(i), sb);
                sb.append(':');
                write(v.get(keys.get(i)), sb);
            }
            sb.append('}');
        } else if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(v.get(i), sb);
            }
            sb.append(']');
        } else if (v.isTextual()) {
            string(v.textValue(), sb);
        } else if (v instanceof Literal l) {
            sb.append(l.text());
        } else if (v.isBigDecimal()) {
            sb.append(v.decimalValue().toString());
        } else if (v.isNumber()) {
            sb.append(v.numberValue().toString());
        } else if (v.isBoolean()) {
            sb.append(v.booleanValue());
        } else if (v.isNull() || v.isMissingNode()) {
            sb.append("null");
        } else {
            throw new IllegalArgumentException("not JSON: " + v.getNodeType());
        }
    }

    /** Go's encodeState.string with HTML escaping on; lone surrogates become U+FFFD, as in Go. */
    static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append('\ufffd');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Byte-wise UTF-8 order (Go's string order) = code point order. */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Object fields in insertion order (helper for iteration with checked exceptions). */
    static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode o) {
        return o.fields();
    }
}
