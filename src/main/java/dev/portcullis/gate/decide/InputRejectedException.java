package dev.portcullis.gate.decide;

/** A request body that is refused before evaluation, with the HTTP status it earns. */
public class InputRejectedException extends RuntimeException {
    private final String code;
    private final int status;

    public InputRejectedException(String code, int status, String message) {
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
