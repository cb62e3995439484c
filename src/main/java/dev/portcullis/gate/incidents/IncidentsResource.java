package dev.portcullis.gate.incidents;

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
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/** The incident record over HTTP (docs/api.md, "Incidents"). */
@Path("/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentsResource {

    static final Set<String> STATUSES = Set.of("declared", "mitigating", "mitigated", "resolved");

    /**
     * Serialises declarations in this process so two never compute the same day number. Replicas
     * sharing a database can still collide; the primary key refuses the second (409, retry).
     */
    private static final ReentrantLock DECLARING = new ReentrantLock();

    private final IncidentService incidents;
    private final EvidenceExport evidence;
    private final RequestParser parser;

    IncidentsResource(IncidentService incidents, EvidenceExport evidence, RequestParser parser) {
        this.incidents = incidents;
        this.evidence = evidence;
        this.parser = parser;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.RESPONDER)
    public Response declare(byte[] body, @Context ContainerRequestContext ctx) {
        Body b = Body.parse(parser, body);
        IncidentService.Changed c;
        DECLARING.lock();
        try {
            c = incidents.declare(Callers.of(ctx), b);
        } catch (jakarta.persistence.PersistenceException e) {
            if (!idTaken(e)) {
                throw e;
            }
            // another replica numbered an incident in the same instant; nothing was stored
            throw new RecordException(RecordError.CONFLICT, "the incident id was taken concurrently; declare again");
        } finally {
            DECLARING.unlock();
        }
        return Response.status(201).entity(incidents.view(c.incident().incidentId)).build();
    }

    @GET
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public Response list(@Context UriInfo uri) {
        QueryParams q;
        String status;
        String sev;
        Boolean open;
        try {
            q = new QueryParams(uri.getQueryParameters(), "status", "sev", "open");
            status = q.string("status");
            sev = q.string("sev");
            open = q.bool("open");
        } catch (IllegalArgumentException e) {
            throw new RecordException(RecordError.INVALID_REQUEST, e.getMessage());
        }
        if (status != null && !STATUSES.contains(status)) {
            throw new RecordException(RecordError.INVALID_REQUEST, "status must be one of " + STATUSES);
        }
        if (sev != null && !sev.matches("SEV[0-3]")) {
            throw new RecordException(RecordError.INVALID_REQUEST, "sev must be SEV0, SEV1, SEV2 or SEV3");
        }
        ObjectNode out = Json.object();
        out.set("items", incidents.list(status, sev, open));
        return Response.ok(out).build();
    }

    @GET
    @Path("/{id}")
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public ObjectNode get(@PathParam("id") String id) {
        return incidents.view(id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.RESPONDER)
    public ObjectNode patch(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        incidents.patch(Callers.of(ctx), id, Body.parse(parser, body));
        return incidents.view(id);
    }

    @POST
    @Path("/{id}/transitions")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.RESPONDER)
    public ObjectNode transition(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        IncidentService.Changed c = incidents.transition(Callers.of(ctx), id, Body.parse(parser, body));
        return withDecision(id, c);
    }

    @POST
    @Path("/{id}/mitigation")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.RESPONDER)
    public ObjectNode mitigation(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        return withDecision(id, incidents.mitigation(Callers.of(ctx), id, Body.parse(parser, body)));
    }

    @POST
    @Path("/{id}/closure")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.RESPONDER)
    public ObjectNode closure(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        return withDecision(id, incidents.closure(Callers.of(ctx), id, Body.parse(parser, body)));
    }

    @POST
    @Path("/{id}/governance-review")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.STEWARD)
    public ObjectNode review(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        return withDecision(id, incidents.review(Callers.of(ctx), id, Body.parse(parser, body)));
    }

    @POST
    @Path("/{id}/updates")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.RESPONDER)
    public ObjectNode update(@PathParam("id") String id, byte[] body, @Context ContainerRequestContext ctx) {
        return withDecision(id, incidents.postUpdate(Callers.of(ctx), id, Body.parse(parser, body)));
    }

    @GET
    @Path("/{id}/evidence")
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public ObjectNode evidence(@PathParam("id") String id) {
        return evidence.export(id);
    }

    private static boolean idTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode withDecision(String id, IncidentService.Changed c) {
        ObjectNode out = Json.object();
        out.set("incident", incidents.view(id));
        out.put("decision_id", c.decision().decisionId().toString());
        out.set("obligations", Json.MAPPER.valueToTree(c.decision().obligations()));
        return out;
    }
}
