package dev.portcullis.gate.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of one evaluation. Exactly one of: a result set ({@code errorCode == null}; {@code value} is
 * {@code result[0].result}, or {@code null} when the rule is undefined) or an error ({@code errorCode} set,
 * {@code resultSetJson} and {@code value} null). Callers deny on any error (fail closed).
 *
 * <p>Error codes: {@link #UNKNOWN_POLICY}, {@link #EVALUATION_ERROR}, {@link #MEMORY_LIMIT}, {@link #TIMEOUT},
 * {@link #BUSY}, {@link #INSTANTIATION_ERROR}, {@link #INVALID_INPUT}.
 *
 * @param nanos wall-clock time of the whole {@code evaluate} call
 */
public record Evaluation(String resultSetJson, JsonNode value, String errorCode, String errorMessage, long nanos) {

    /** The bundle has no such entrypoint (or no bundle serves it). */
    public static final String UNKNOWN_POLICY = "unknown_policy";
    /** The policy aborted (conflicting outputs, builtin error, trap...). */
    public static final String EVALUATION_ERROR = "evaluation_error";
    /** The Wasm memory cap ({@code portcullis.engine.max-memory-pages}) was exceeded. */
    public static final String MEMORY_LIMIT = "memory_limit";
    /** The evaluation ran longer than {@code portcullis.engine.timeout}. */
    public static final String TIMEOUT = "timeout";
    /** No instance became free within {@code portcullis.engine.acquire-timeout}, or too many zombie evaluations. */
    public static final String BUSY = "busy";
    /** The module could not be instantiated or its data not loaded. */
    public static final String INSTANTIATION_ERROR = "instantiation_error";
    /** The input is not valid JSON. */
    public static final String INVALID_INPUT = "invalid_input";

    public boolean ok() {
        return errorCode == null;
    }

    /** True when the evaluation succeeded and the entrypoint produced a value. */
    public boolean defined() {
        return errorCode == null && value != null;
    }

    public static Evaluation error(String code, String message, long nanos) {
        return new Evaluation(null, null, code, message, nanos);
    }
}
