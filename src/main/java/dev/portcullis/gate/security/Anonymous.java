package dev.portcullis.gate.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method open without a token (liveness-style answers that reveal no policy, input or
 * record, such as OPA's {@code GET /health}). Explicit, so a forgotten {@link Allowed} still fails closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Anonymous {
}
