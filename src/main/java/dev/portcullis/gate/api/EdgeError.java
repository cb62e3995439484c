package dev.portcullis.gate.api;

/**
 * Refusals made at the HTTP edge, before a request reaches a resource: the request line, headers
 * or body broke the container's limits or grammar. One declaration per code; each answers with
 * the JSON {@link ApiError} body like every other error.
 */
public enum EdgeError {
    MALFORMED_REQUEST(400, "malformed_request", "the request is not valid HTTP/1.1 (request line, header syntax,"
            + " control characters in a header, or framing)"),
    REQUEST_TOO_LARGE(413, "request_too_large", "the request body exceeds the limit of %d bytes"),
    URI_TOO_LONG(414, "uri_too_long", "the request line exceeds the limit of %d bytes"),
    HEADERS_TOO_LARGE(431, "headers_too_large", "the request headers exceed the limit of %d bytes");

    private final int status;
    private final String code;
    private final String message;

    EdgeError(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The message, with the limit filled in where it has one. */
    public String message(long limit) {
        return message.contains("%d") ? String.format(message, limit) : message;
    }

    /** The edge error answering with {@code status}, or null. */
    static EdgeError forStatus(int status) {
        for (EdgeError e : values()) {
            if (e.status == status) {
                return e;
            }
        }
        return null;
    }
}
