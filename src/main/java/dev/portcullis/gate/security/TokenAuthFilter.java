package dev.portcullis.gate.security;

import dev.portcullis.gate.api.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The trust membrane at the HTTP edge: every resource method annotated {@link Allowed} needs a
 * known bearer token carrying one of the listed roles. Unannotated resources are refused too, so a
 * forgotten annotation fails closed.
 */
public class TokenAuthFilter {

    public static final String CALLER_PROPERTY = "portcullis.caller";

    @Inject
    TokenRegistry tokens;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Optional<Response> authenticate(ContainerRequestContext ctx, ResourceInfo resource) {
        if (resource.getResourceMethod() != null && resource.getResourceMethod().isAnnotationPresent(Anonymous.class)) {
            return Optional.empty();
        }
        Allowed allowed = resource.getResourceMethod() == null ? null
                : Optional.ofNullable(resource.getResourceMethod().getAnnotation(Allowed.class))
                        .orElse(resource.getResourceClass().getAnnotation(Allowed.class));
        if (allowed == null) {
            return Optional.of(ApiError.response(Response.Status.FORBIDDEN, "forbidden", "endpoint is not open to any role"));
        }
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(unauthorized("missing bearer token"));
        }
        Optional<Caller> caller = tokens.resolve(header.substring(7).trim());
        if (caller.isEmpty()) {
            return Optional.of(unauthorized("unknown bearer token"));
        }
        for (Role r : allowed.value()) {
            if (caller.get().has(r)) {
                ctx.setProperty(CALLER_PROPERTY, caller.get());
                return Optional.empty();
            }
        }
        return Optional.of(ApiError.response(Response.Status.FORBIDDEN, "forbidden",
                "caller " + caller.get().name() + " lacks role " + java.util.Arrays.toString(allowed.value())));
    }

    private static Response unauthorized(String message) {
        return Response.fromResponse(ApiError.response(Response.Status.UNAUTHORIZED, "unauthorized", message))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"portcullis\"").build();
    }
}
