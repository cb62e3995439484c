package dev.portcullis.gate.bundles;

/**
 * A bundle was refused. {@link #reason()} is a stable code:
 * {@code corrupt}, {@code unsigned}, {@code bad_signature}, {@code digest_mismatch}, {@code abi_incompatible},
 * {@code smoke_failed}, {@code too_large}, {@code revision_conflict}, {@code name_mismatch}, {@code no_previous}.
 * Suggested HTTP mapping: {@code revision_conflict} and {@code no_previous} → 409, the rest → 422.
 */
public class BundleRejectedException extends RuntimeException {

    public static final String CORRUPT = "corrupt";
    public static final String UNSIGNED = "unsigned";
    public static final String BAD_SIGNATURE = "bad_signature";
    public static final String DIGEST_MISMATCH = "digest_mismatch";
    public static final String ABI_INCOMPATIBLE = "abi_incompatible";
    public static final String SMOKE_FAILED = "smoke_failed";
    /** Data larger than an instance's memory: it could never load, so it is refused before it is parsed. */
    public static final String TOO_LARGE = "too_large";
    public static final String REVISION_CONFLICT = "revision_conflict";
    public static final String NAME_MISMATCH = "name_mismatch";
    public static final String NO_PREVIOUS = "no_previous";

    private final String reason;

    public BundleRejectedException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BundleRejectedException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    /** True for conflicts with existing state (HTTP 409) rather than a bad bundle (HTTP 422). */
    public boolean isConflict() {
        return REVISION_CONFLICT.equals(reason) || NO_PREVIOUS.equals(reason);
    }
}
