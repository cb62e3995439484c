package dev.portcullis.rego.host;

/**
 * A host builtin's error. OPA (without strict builtin errors) turns such an error into an
 * undefined expression, so {@link HostFunction} returns "undefined" to the policy, never a value.
 */
final class BuiltinException extends Exception {

    private static final long serialVersionUID = 1L;

    BuiltinException(String message) {
        super(message);
    }

    BuiltinException(String message, Throwable cause) {
        super(message, cause);
    }
}
