package dev.portcullis.gate.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as the JSON {@link ApiError} body; internals are logged, not returned. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response r = e.getResponse();
        EdgeError edge = EdgeError.forStatus(r.getStatus());
        if (edge != null) {
            // the container's own refusals (e.g. a chunked body over the limit) carry the edge codes
            return ApiError.response(r.getStatus(), edge.code(), e.getMessage());
        }
        Response.Status s = Response.Status.fromStatusCode(r.getStatus());
        String code = s == null ? "http_" + r.getStatus() : s.name().toLowerCase(java.util.Locale.ROOT);
        return Response.status(r.getStatus()).type("application/json")
                .entity(new ApiError(code, e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected error", e);
        return ApiError.response(Response.Status.INTERNAL_SERVER_ERROR, "internal_error",
                "internal error; see the server log");
    }
}
