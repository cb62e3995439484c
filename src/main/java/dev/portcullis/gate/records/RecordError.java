package dev.portcullis.gate.records;

/** Why a request on a runbook record is refused before or without a policy decision. */
public enum RecordError {
    /** The body or a parameter is not what the endpoint accepts. */
    INVALID_REQUEST("invalid_request", 400),
    /** The body tries to change a field only a gated endpoint changes. */
    GATED_FIELD("gated_field", 400),
    /** The body is larger than the input limit. */
    INPUT_TOO_LARGE("input_too_large", 413),
    NOT_FOUND("not_found", 404),
    /** The record changed underneath the request (concurrent change); retry. */
    CONFLICT("conflict", 409);

    public final String code;
    public final int status;

    RecordError(String code, int status) {
        this.code = code;
        this.status = status;
    }
}
