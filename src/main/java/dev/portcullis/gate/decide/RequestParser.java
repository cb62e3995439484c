package dev.portcullis.gate.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.json.InvalidJsonException;
import dev.portcullis.gate.json.JsonText;
import dev.portcullis.gate.json.StrictJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * THE parser for every JSON request body (decisions, data, domain and admin bodies): the size
 * limit on the raw bytes, then {@link StrictJson} (RFC 8259 only, strict UTF-8, no duplicate
 * keys, no trailing content, numbers evaluation holds exactly, nesting within the limit).
 * Refusals are {@link InputRejectedException}s carrying the code and status the API answers with.
 */
@ApplicationScoped
public class RequestParser {
    public static final String INPUT_TOO_LARGE = "input_too_large";
    public static final String INPUT_TOO_DEEP = "input_too_deep";
    public static final String INVALID_INPUT = "invalid_input";

    private final LimitsConfig limits;
    private final StrictJson json;

    @Inject
    public RequestParser(LimitsConfig limits) {
        this.limits = limits;
        this.json = new StrictJson(limits.maxDepth());
    }

    /** The body as a JSON object (the tree; numbers with a fraction or exponent as exact decimals). */
    public JsonNode parseObject(byte[] body) {
        checkSize(body);
        JsonNode n;
        try {
            n = json.readTree(body);
        } catch (InvalidJsonException e) {
            throw rejected(e);
        }
        if (!n.isObject()) {
            throw new InputRejectedException(INVALID_INPUT, 400, "request body must be a JSON object");
        }
        return n;
    }

    /**
     * The body as a JSON object whose member {@code rawMember} (e.g. {@code input}) is validated
     * and kept as the bytes the client sent, ready for the engine and the decision record.
     */
    public StrictJson.Envelope parseEnvelope(byte[] body, String rawMember) {
        checkSize(body);
        try {
            return json.readEnvelope(body, rawMember);
        } catch (InvalidJsonException e) {
            throw rejected(e);
        }
    }

    /** A request body that is the input itself (OPA's default decision, {@code POST /}). */
    public JsonText parseValue(byte[] body) {
        checkSize(body);
        try {
            return json.validate(body);
        } catch (InvalidJsonException e) {
            throw rejected(e);
        }
    }

    /** A JSON value the gate composed itself, checked by the same rules before it is evaluated. */
    public JsonText validate(String composed) {
        try {
            return json.validate(composed);
        } catch (InvalidJsonException e) {
            throw rejected(e);
        }
    }

    private void checkSize(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InputRejectedException(INVALID_INPUT, 400, "request body is empty; expected a JSON object");
        }
        if (body.length > limits.maxInputBytes()) {
            throw new InputRejectedException(INPUT_TOO_LARGE, 413,
                    "request body of " + body.length + " bytes exceeds the limit of " + limits.maxInputBytes());
        }
    }

    private InputRejectedException rejected(InvalidJsonException e) {
        return e.tooDeep()
                ? new InputRejectedException(INPUT_TOO_DEEP, 400,
                        "input nesting exceeds the limit of " + limits.maxDepth() + " levels")
                : new InputRejectedException(INVALID_INPUT, 400, "malformed JSON: " + e.getMessage());
    }
}
