package dev.portcullis.gate.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.api.Callers;
import dev.portcullis.gate.api.QueryParams;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.records.Body;
import dev.portcullis.gate.records.Json;
import dev.portcullis.gate.records.RecordError;
import dev.portcullis.gate.records.RecordException;
import dev.portcullis.gate.security.Allowed;
import dev.portcullis.gate.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Breakglass grants (docs/api.md, "Breakglass"). */
@Path("/v1/breakglass")
@Produces(MediaType.APPLICATION_JSON)
public class BreakglassResource {

    private final AccessService access;
    private final RequestParser parser;

    BreakglassResource(AccessService access, RequestParser parser) {
        this.access = access;
        this.parser = parser;
    }

    /** Stewards may grant too (the policy: the incident's IC or a steward). */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public Response grant(byte[] body, @Context ContainerRequestContext ctx) {
        AccessService.Gated<BreakglassGrant> g = access.grant(Callers.of(ctx), Body.parse(parser, body));
        ObjectNode out = AccessService.view(g.record());
        out.set("obligations", Json.MAPPER.valueToTree(g.decision().obligations()));
        return Response.status(201).entity(out).build();
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.WILDCARD)
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public ObjectNode revoke(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        Body b = body == null || body.length == 0 ? Body.of(Json.object()) : Body.parse(parser, body);
        return AccessService.view(access.revoke(Callers.of(ctx), id, b));
    }

    @GET
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public ObjectNode list(@Context UriInfo uri) {
        String incident;
        Boolean active;
        try {
            QueryParams q = new QueryParams(uri.getQueryParameters(), "incident_id", "active");
            incident = q.string("incident_id");
            active = q.bool("active");
        } catch (IllegalArgumentException e) {
            throw new RecordException(RecordError.INVALID_REQUEST, e.getMessage());
        }
        ObjectNode out = Json.object();
        out.set("items", access.grantsView(incident, active));
        return out;
    }
}
