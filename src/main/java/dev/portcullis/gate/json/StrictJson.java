package dev.portcullis.gate.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * The gate's one JSON reader: RFC 8259 and nothing else, in a single pass over the bytes. It
 * refuses invalid or overlong UTF-8 and raw control bytes ({@link Utf8}), a byte-order mark,
 * duplicate keys at any depth, trailing content after the value, non-numeric literals, lone
 * surrogates in {@code \\u} escapes, nesting beyond {@code maxDepth}, and numbers outside
 * {@link ExactNumbers}. What it accepts, the Wasm runtime reads to the same value.
 *
 * <p>Values can be read as a tree, validated only ({@link #validate}), or as an object whose one
 * named member is kept as the bytes the client sent ({@link #readEnvelope}), which is how a
 * decision request's input reaches the engine and the record without being written again.
 */
public final class StrictJson {

    /** An object read by {@link #readEnvelope}: its other members as a tree, the raw member as bytes (null when absent). */
    public record Envelope(ObjectNode members, JsonText raw) {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_NUMBER_CHARS = 1000;
    private static final int MAX_SHOWN = 40;

    private final int maxDepth;
    private final JsonFactory factory;

    public StrictJson(int maxDepth) {
        this.maxDepth = maxDepth;
        this.factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth + 1)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .build())
                .build();
    }

    public int maxDepth() {
        return maxDepth;
    }

    /** The whole text as one validated JSON value. */
    public JsonText validate(byte[] bytes) {
        read(bytes, false, null);
        return new JsonText(bytes, 0, bytes.length);
    }

    public JsonText validate(String text) {
        return validate(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The whole text as a tree (numbers with a fraction or exponent as exact decimals). */
    public JsonNode readTree(byte[] bytes) {
        return read(bytes, true, null).tree;
    }

    /**
     * The text as an object whose member {@code rawMember} is validated but kept as the client's
     * bytes; every other member is read into the tree.
     *
     * @throws InvalidJsonException also when the value is not an object
     */
    public Envelope readEnvelope(byte[] bytes, String rawMember) {
        Result r = read(bytes, true, rawMember);
        if (!(r.tree instanceof ObjectNode o)) {
            throw new InvalidJsonException("expected a JSON object", false);
        }
        return new Envelope(o, r.raw);
    }

    private record Result(JsonNode tree, JsonText raw) {}

    private Result read(byte[] bytes, boolean build, String rawMember) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidJsonException("empty; expected a JSON value", false);
        }
        int bad = Utf8.firstInvalid(bytes, 0, bytes.length);
        if (bad >= 0) {
            throw new InvalidJsonException(String.format("byte 0x%02x at offset %d is not valid UTF-8 JSON text",
                    bytes[bad] & 0xff, bad), false);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            throw new InvalidJsonException("a byte-order mark is not allowed", false);
        }
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new InvalidJsonException("empty; expected a JSON value", false);
            }
            Result r = walk(p, first, bytes, build, rawMember);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new InvalidJsonException("trailing content after the JSON value at offset "
                        + p.currentTokenLocation().getByteOffset(), false);
            }
            return r;
        } catch (StreamConstraintsException e) {
            throw new InvalidJsonException(e.getOriginalMessage(), false);
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException(e.getOriginalMessage() + " at offset "
                    + (e.getLocation() == null ? "?" : e.getLocation().getByteOffset()), false);
        } catch (IOException e) {
            throw new InvalidJsonException("unreadable: " + e.getMessage(), false);
        }
    }

    /**
     * Walks one value starting at {@code first}, iteratively (no recursion however deep the
     * input). Containers are built only when {@code build} is set and outside the raw member.
     */
    private Result walk(JsonParser p, JsonToken first, byte[] bytes, boolean build, String rawMember)
            throws IOException {
        ContainerNode<?>[] stack = new ContainerNode<?>[Math.min(maxDepth, 64) + 1];
        int depth = 0;
        int rawDepth = -1; // depth at which the raw member's value started, or -1
        long rawStart = -1;
        JsonText raw = null;
        JsonNode root = null;
        String name = null;
        JsonToken t = first;
        while (true) {
            boolean building = build && rawDepth < 0;
            JsonNode scalar = null;
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    if (depth == 1 && rawMember != null && rawMember.equals(name) && stack[0] instanceof ObjectNode) {
                        rawDepth = depth;
                        rawStart = p.currentTokenLocation().getByteOffset();
                        building = false;
                    }
                    if (++depth > maxDepth) {
                        throw new InvalidJsonException("nesting exceeds the limit of " + maxDepth + " levels", true);
                    }
                    ContainerNode<?> c = null;
                    if (building) {
                        c = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                        attach(stack, depth - 1, name, c);
                    }
                    if (depth - 1 >= stack.length) {
                        stack = java.util.Arrays.copyOf(stack, Math.min(maxDepth, stack.length * 2) + 1);
                    }
                    stack[depth - 1] = c;
                    if (depth == 1) {
                        root = c;
                    }
                    name = null;
                }
                case END_OBJECT, END_ARRAY -> {
                    stack[--depth] = null;
                    if (depth == rawDepth) {
                        raw = slice(bytes, rawStart, p.currentLocation().getByteOffset());
                        rawDepth = -1;
                    }
                    name = null;
                }
                case FIELD_NAME -> {
                    name = p.currentName();
                    checkSurrogates(name.toCharArray(), 0, name.length(), "key");
                }
                case VALUE_STRING -> {
                    char[] cs = p.getTextCharacters();
                    checkSurrogates(cs, p.getTextOffset(), p.getTextLength(), "string");
                    if (building) {
                        scalar = NODES.textNode(p.getText());
                    }
                }
                case VALUE_NUMBER_INT -> {
                    JsonParser.NumberType nt = p.getNumberType();
                    if (nt == JsonParser.NumberType.BIG_INTEGER || !ExactNumbers.integerFits(p.getText())) {
                        throw new InvalidJsonException("integer " + shown(p.getText())
                                + " is outside the 64-bit range evaluation represents exactly", false);
                    }
                    if (building) {
                        scalar = NODES.numberNode(p.getLongValue());
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    String text = p.getText();
                    if (!ExactNumbers.floatRoundTrips(text)) {
                        throw new InvalidJsonException("number " + shown(text)
                                + " cannot be evaluated exactly (beyond a double's range or precision)", false);
                    }
                    if (building) {
                        scalar = DecimalNode.valueOf(new BigDecimal(text));
                    }
                }
                case VALUE_TRUE -> scalar = building ? NODES.booleanNode(true) : null;
                case VALUE_FALSE -> scalar = building ? NODES.booleanNode(false) : null;
                case VALUE_NULL -> scalar = building ? NODES.nullNode() : null;
                default -> throw new InvalidJsonException("unexpected token " + t, false);
            }
            if (t.isScalarValue()) {
                if (depth == 1 && rawMember != null && rawMember.equals(name) && rawDepth < 0
                        && stack[0] instanceof ObjectNode) {
                    long start = p.currentTokenLocation().getByteOffset();
                    raw = slice(bytes, start, p.currentLocation().getByteOffset());
                } else if (building) {
                    if (depth == 0) {
                        root = scalar;
                    } else {
                        attach(stack, depth, name, scalar);
                    }
                }
                name = null;
            }
            if (depth == 0) {
                if (build && root == null && rawMember == null) {
                    throw new IllegalStateException("no value built");
                }
                return new Result(build ? root : null, raw);
            }
            t = p.nextToken();
            if (t == null) {
                throw new InvalidJsonException("truncated JSON", false);
            }
        }
    }

    private static void attach(ContainerNode<?>[] stack, int depth, String name, JsonNode value) {
        if (depth == 0) {
            return;
        }
        ContainerNode<?> parent = stack[depth - 1];
        if (parent instanceof ObjectNode o) {
            o.set(name, value);
        } else if (parent instanceof ArrayNode a) {
            a.add(value);
        }
    }

    /** The bytes [start, end) minus trailing JSON whitespace. */
    private static JsonText slice(byte[] bytes, long start, long end) {
        int s = (int) start;
        int e = (int) Math.min(end, bytes.length);
        while (e > s && (bytes[e - 1] == ' ' || bytes[e - 1] == '\n' || bytes[e - 1] == '\r' || bytes[e - 1] == '\t')) {
            e--;
        }
        if (s < 0 || e <= s) {
            throw new IllegalStateException("cannot locate the value in the request bytes");
        }
        return new JsonText(bytes, s, e - s);
    }

    private static void checkSurrogates(char[] cs, int off, int len, String what) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            char c = cs[i];
            if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(cs[i + 1])) {
                i++;
                continue;
            }
            throw new InvalidJsonException(what + " contains a lone surrogate \\u" + Integer.toHexString(c), false);
        }
    }

    private static String shown(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "… (" + s.length() + " characters)";
    }
}
