package dev.portcullis.gate.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.api.Callers;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.records.Body;
import dev.portcullis.gate.security.Allowed;
import dev.portcullis.gate.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Subjects: the people and services data is accessed for (docs/api.md, "Subjects"). */
@Path("/v1/subjects")
@Produces(MediaType.APPLICATION_JSON)
public class SubjectsResource {

    private final AccessService access;
    private final RequestParser parser;

    SubjectsResource(AccessService access, RequestParser parser) {
        this.access = access;
        this.parser = parser;
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Allowed({Role.STEWARD, Role.ADMIN})
    public Response put(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        AccessService.Put<Subject> p = access.putSubject(Callers.of(ctx), id, Body.parse(parser, body));
        return Response.status(p.created() ? 201 : 200).entity(AccessService.facts(p.record())).build();
    }

    @GET
    @Path("/{id}")
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public ObjectNode get(@PathParam("id") String id) {
        return AccessService.facts(access.subject(id));
    }
}
