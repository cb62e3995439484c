package dev.portcullis.gate.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON error body every non-2xx answer carries: {@code {"code": "...", "message": "..."}}. */
public record ApiError(String code, String message) {

    public static Response response(Response.Status status, String code, String message) {
        return response(status.getStatusCode(), code, message);
    }

    public static Response response(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, message)).build();
    }
}
