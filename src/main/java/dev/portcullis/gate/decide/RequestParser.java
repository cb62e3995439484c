package dev.portcullis.gate.decide;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/**
 * Parses request bodies under the configured size and depth limits. The limits are checked on the
 * raw bytes and by the JSON parser itself, so an oversized or deeply nested body costs little.
 */
@ApplicationScoped
public class RequestParser {
    public static final String INPUT_TOO_LARGE = "input_too_large";
    public static final String INPUT_TOO_DEEP = "input_too_deep";
    public static final String INVALID_INPUT = "invalid_input";

    private final LimitsConfig limits;
    private final ObjectMapper mapper;

    RequestParser(LimitsConfig limits) {
        this.limits = limits;
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(limits.maxDepth()).build())
                .build();
        this.mapper = new ObjectMapper(f);
    }

    /** The body as a JSON object. */
    public JsonNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InputRejectedException(INVALID_INPUT, 400, "request body is empty; expected a JSON object");
        }
        if (body.length > limits.maxInputBytes()) {
            throw new InputRejectedException(INPUT_TOO_LARGE, 413,
                    "request body of " + body.length + " bytes exceeds the limit of " + limits.maxInputBytes());
        }
        JsonNode n;
        try {
            n = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InputRejectedException(INPUT_TOO_DEEP, 400,
                    "input nesting exceeds the limit of " + limits.maxDepth() + " levels");
        } catch (JsonProcessingException e) {
            throw new InputRejectedException(INVALID_INPUT, 400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputRejectedException(INVALID_INPUT, 400, "unreadable body: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new InputRejectedException(INVALID_INPUT, 400, "request body must be a JSON object");
        }
        return n;
    }

    public String write(JsonNode n) {
        try {
            return mapper.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
