package dev.portcullis.gate.decisions;

/**
 * The decision could not be durably recorded (database down or unwritable, queue full, commit
 * timed out, recorder stopped). Callers must treat the decision as a deny: no allow may be
 * returned without its committed row.
 */
public class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException(String message) {
        super(message);
    }

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
