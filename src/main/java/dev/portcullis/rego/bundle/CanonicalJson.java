package dev.portcullis.rego.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Canonical JSON: object keys sorted (by Unicode code point, i.e. UTF-8 byte order, as Go's
 * encoding/json does), no insignificant whitespace, numbers written as parsed (floats kept as
 * {@link java.math.BigDecimal} so no precision is lost), UTF-8 output.
 */
public final class CanonicalJson {

    /** A strict mapper: floats as BigDecimal, duplicate keys and trailing tokens rejected. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(1000)
                                    .maxStringLength(64 * 1024 * 1024)
                                    .maxNumberLength(10_000)
                                    .build())
                            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private CanonicalJson() {}

    /** Parses one JSON value; throws {@link IOException} (with Jackson's location) when malformed. */
    public static JsonNode parse(byte[] json) throws IOException {
        if (json.length == 0) {
            throw new IOException("empty document (no JSON value)");
        }
        JsonNode node = MAPPER.readTree(json);
        if (node == null || node.isMissingNode()) {
            throw new IOException("empty document (no JSON value)");
        }
        return node;
    }

    public static JsonNode parse(String json) throws IOException {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A one-line description of a parse failure, with line and column when known. */
    public static String describe(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe) {
            var loc = jpe.getLocation();
            String msg = jpe.getOriginalMessage();
            int nl = msg.indexOf('\n');
            if (nl >= 0) {
                msg = msg.substring(0, nl);
            }
            return loc == null ? msg : msg + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        }
        return e.getMessage();
    }

    public static byte[] toBytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
            write(gen, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String toString(JsonNode node) {
        return new String(toBytes(node), StandardCharsets.UTF_8);
    }

    /** Compares strings by code point (the order of their UTF-8 encodings). */
    public static int compareKeys(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void write(JsonGenerator gen, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    fields.add(it.next());
                }
                fields.sort((x, y) -> compareKeys(x.getKey(), y.getKey()));
                gen.writeStartObject();
                for (Map.Entry<String, JsonNode> f : fields) {
                    gen.writeFieldName(f.getKey());
                    write(gen, f.getValue());
                }
                gen.writeEndObject();
            }
            case ARRAY -> {
                gen.writeStartArray();
                for (JsonNode el : node) {
                    write(gen, el);
                }
                gen.writeEndArray();
            }
            case STRING -> gen.writeString(node.textValue());
            case NUMBER -> {
                if (node.isIntegralNumber()) {
                    gen.writeNumber(node.bigIntegerValue());
                } else if (node.isBigDecimal()) {
                    gen.writeNumber(node.decimalValue());
                } else {
                    double d = node.doubleValue();
                    if (Double.isNaN(d) || Double.isInfinite(d)) {
                        throw new IOException("JSON cannot represent " + d);
                    }
                    gen.writeNumber(d);
                }
            }
            case BOOLEAN -> gen.writeBoolean(node.booleanValue());
            case NULL -> gen.writeNull();
            default -> throw new IOException("not a JSON value: " + node.getNodeType());
        }
    }
}
