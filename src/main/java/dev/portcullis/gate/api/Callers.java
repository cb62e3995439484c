package dev.portcullis.gate.api;

import dev.portcullis.gate.security.Caller;
import dev.portcullis.gate.security.TokenAuthFilter;
import jakarta.ws.rs.container.ContainerRequestContext;

/** The caller the authentication filter attached to the request. */
public final class Callers {
    private Callers() {}

    public static Caller of(ContainerRequestContext ctx) {
        Object c = ctx.getProperty(TokenAuthFilter.CALLER_PROPERTY);
        if (!(c instanceof Caller caller)) {
            throw new IllegalStateException("request reached a resource without an authenticated caller");
        }
        return caller;
    }
}
