package dev.portcullis.gate.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.api.Callers;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.records.Body;
import dev.portcullis.gate.records.Json;
import dev.portcullis.gate.security.Allowed;
import dev.portcullis.gate.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Datasets and the quarantine of their versions (docs/api.md, "Datasets"). */
@Path("/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetsResource {

    private final AccessService access;
    private final RequestParser parser;

    DatasetsResource(AccessService access, RequestParser parser) {
        this.access = access;
        this.parser = parser;
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.STEWARD)
    public Response put(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        AccessService.Put<Dataset> p = access.putDataset(Callers.of(ctx), id, Body.parse(parser, body));
        return Response.status(p.created() ? 201 : 200).entity(AccessService.facts(p.record())).build();
    }

    @GET
    @Path("/{id}")
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public ObjectNode get(@PathParam("id") String id) {
        return AccessService.facts(access.dataset(id));
    }

    @POST
    @Path("/{id}/versions/{version}/quarantine")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.RESPONDER)
    public Response quarantine(@PathParam("id") String id, @PathParam("version") String version, byte[] body,
            @Context ContainerRequestContext ctx) {
        AccessService.Gated<Quarantine> q = access.quarantine(Callers.of(ctx), id, version, Body.parse(parser, body));
        ObjectNode out = Json.object();
        out.set("quarantine", AccessService.view(q.record()));
        out.put("decision_id", q.decision().decisionId().toString());
        out.set("obligations", Json.MAPPER.valueToTree(q.decision().obligations()));
        return Response.status(201).entity(out).build();
    }

    @POST
    @Path("/{id}/versions/{version}/release")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.STEWARD)
    public ObjectNode release(@PathParam("id") String id, @PathParam("version") String version, byte[] body,
            @Context ContainerRequestContext ctx) {
        List<AccessService.Gated<Quarantine>> released = access.release(Callers.of(ctx), id, version,
                Body.parse(parser, body));
        ObjectNode out = Json.object();
        var items = out.putArray("released");
        var ids = out.putArray("decision_ids");
        for (AccessService.Gated<Quarantine> g : released) {
            items.add(AccessService.view(g.record()));
            ids.add(g.decision().decisionId().toString());
        }
        return out;
    }
}
