package dev.portcullis.gate.json;

/** JSON text the gate refuses. {@link #tooDeep()} separates nesting beyond the limit from everything else. */
public class InvalidJsonException extends RuntimeException {
    private final boolean tooDeep;

    InvalidJsonException(String message, boolean tooDeep) {
        super(message);
        this.tooDeep = tooDeep;
    }

    public boolean tooDeep() {
        return tooDeep;
    }
}
