package dev.portcullis.gate.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.decide.DecisionService;
import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.security.Allowed;
import dev.portcullis.gate.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import dev.portcullis.gate.bundles.Names;
import dev.portcullis.gate.json.JsonText;

/**
 * OPA's Data API ({@code POST /v1/data/{path}}), so existing OPA clients work unchanged. The
 * document is evaluated from the active bundle and recorded like every other decision.
 */
@Path("/v1/data")
public class DataResource {

    private final DecisionService decisions;
    private final RequestParser parser;

    DataResource(DecisionService decisions, RequestParser parser) {
        this.decisions = decisions;
        this.parser = parser;
    }

    @POST
    @Path("/{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed(Role.CLIENT)
    public Response evaluate(@PathParam("path") String path, byte[] body, @Context UriInfo uri,
            @Context ContainerRequestContext ctx) {
        String policy = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        DecisionOutcome o;
        boolean provenance = false;
        try {
            if (!Names.entrypoint(policy)) {
                throw new InputRejectedException(RequestParser.INVALID_INPUT, 400,
                        "the data path must be " + Names.ENTRYPOINT_RULE);
            }
            try {
                provenance = new QueryParams(uri.getQueryParameters(), "provenance").bool("provenance", false);
            } catch (IllegalArgumentException e) {
                throw new InputRejectedException(RequestParser.INVALID_INPUT, 400, e.getMessage());
            }
            JsonText input = null;
            if (body != null && body.length > 0) {
                // OPA's body is {"input": ...}; other members are checked like everything else and ignored
                input = parser.parseEnvelope(body, "input").raw();
            }
            o = decisions.decide(Callers.of(ctx), policy, input, DecisionService.Shape.DOCUMENT);
        } catch (InputRejectedException e) {
            o = decisions.rejectInput(Callers.of(ctx), policy, e);
        }
        if (o.errorCode() != null) {
            ObjectNode err = JsonNodeFactory.instance.objectNode();
            err.put("code", o.errorCode());
            err.put("message", o.errorMessage());
            err.put("decision_id", o.decisionId().toString());
            return Response.status(o.httpStatus()).entity(err).build();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("decision_id", o.decisionId().toString());
        if (o.value() != null) {
            out.set("result", o.value());
        }
        if (provenance && o.bundle() != null) {
            ObjectNode b = out.putObject("provenance").putObject("bundles").putObject(o.bundle().name());
            b.put("revision", o.bundle().revision());
        }
        return Response.ok(out).build();
    }
}
