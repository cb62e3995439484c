package dev.portcullis.rego.bundle;

/** Two data documents define the same non-object location differently. */
public class DataConflictException extends Exception {
    private final String path;

    public DataConflictException(String path, String message) {
        super(message);
        this.path = path;
    }

    /** The conflicting location, as a dotted {@code data.a.b} reference. */
    public String path() {
        return path;
    }
}
