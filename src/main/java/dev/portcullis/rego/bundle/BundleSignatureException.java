package dev.portcullis.rego.bundle;

/** A bundle's signature is missing, malformed, made with another key, or does not match its files. */
public class BundleSignatureException extends BundleFormatException {
    public BundleSignatureException(String message) {
        super(message);
    }

    public BundleSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
