package dev.portcullis.gate.access;

import dev.portcullis.gate.api.Callers;
import dev.portcullis.gate.api.DecisionsResource.DecisionResponse;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.decide.DecisionService;
import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.records.Body;
import dev.portcullis.gate.records.RecordException;
import dev.portcullis.gate.security.Caller;
import dev.portcullis.gate.security.Allowed;
import dev.portcullis.gate.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/access}: a data-access decision on facts from the gate's records. The client names
 * the subject, action, dataset and version; everything the policy decides on is looked up here.
 */
@Path("/v1/access")
public class AccessResource {

    private final AccessService access;
    private final RequestParser parser;
    private final DecisionService decisions;

    AccessResource(AccessService access, RequestParser parser, DecisionService decisions) {
        this.access = access;
        this.parser = parser;
        this.decisions = decisions;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed(Role.CLIENT)
    public Response decide(byte[] body, @Context ContainerRequestContext ctx) {
        Caller caller = Callers.of(ctx);
        DecisionOutcome o;
        try {
            o = access.access(caller, Body.parse(parser, body));
        } catch (RecordException e) {
            if (e.status() != 400) {
                throw e;
            }
            // a refused access request is still a decision asked for: recorded as a deny, like /v1/decisions
            o = decisions.rejectInput(caller, AccessService.REQUEST,
                    new InputRejectedException(e.code(), e.status(), e.getMessage()));
        }
        return Response.status(o.httpStatus()).entity(DecisionResponse.of(o)).build();
    }
}
