package dev.portcullis.rego.bundle;

/** A bundle is malformed, truncated, too large, unsafe, or inconsistent; the message says why. */
public class BundleFormatException extends Exception {
    public BundleFormatException(String message) {
        super(message);
    }

    public BundleFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
