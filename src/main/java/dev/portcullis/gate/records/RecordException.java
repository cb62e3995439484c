package dev.portcullis.gate.records;

/** A refusal with a code from {@link RecordError}; the API answers {@code {"code", "message"}}. */
public class RecordException extends RuntimeException {
    private final String code;
    private final int status;

    public RecordException(RecordError error, String message) {
        this(error.code, error.status, message);
    }

    public RecordException(String code, int status, String message) {
        super(message);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
