package dev.portcullis.gate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.decide.DecisionService;
import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.decisions.DecisionQueries;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/decisions}: allow or deny, with reasons, obligations and the bundle that decided;
 * the GETs read the decision record back (one decision, a filtered page, or a walk of the hash chain).
 */
@Path("/v1/decisions")
public class DecisionsResource {

    /** The answer to a decision request. {@code error} is null unless the deny was forced by a failure. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DecisionResponse(@JsonProperty("decision_id") UUID decisionId, boolean allow,
            List<JsonNode> reasons, List<JsonNode> obligations, BundleRef bundle, ApiError error) {

        static DecisionResponse of(DecisionOutcome o) {
            return new DecisionResponse(o.decisionId(), o.allow(), o.reasons(), o.obligations(),
                    BundleRef.of(o.bundle()), o.errorCode() == null ? null : new ApiError(o.errorCode(), o.errorMessage()));
        }
    }

    private final DecisionService decisions;
    private final RequestParser parser;
    private final DecisionQueries queries;

    DecisionsResource(DecisionService decisions, RequestParser parser, DecisionQueries queries) {
        this.decisions = decisions;
        this.parser = parser;
        this.queries = queries;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed(Role.CLIENT)
    public Response decide(byte[] body, @Context ContainerRequestContext ctx) {
        DecisionOutcome o;
        String policy = null;
        try {
            JsonNode req = parser.parseObject(body);
            JsonNode p = req.get("policy");
            if (p == null || !p.isTextual() || p.asText().isBlank()) {
                throw new InputRejectedException(RequestParser.INVALID_INPUT, 400,
                        "\"policy\" must name an entrypoint such as gate/access/decision");
            }
            policy = p.asText();
            JsonNode input = req.get("input");
            o = decisions.decide(Callers.of(ctx), policy, input == null ? null : parser.write(input),
                    DecisionService.Shape.DECISION);
        } catch (InputRejectedException e) {
            o = decisions.rejectInput(Callers.of(ctx), policy, e);
        }
        return Response.status(o.httpStatus()).entity(DecisionResponse.of(o)).build();
    }

    @GET
    @Path("/verify")
    @Allowed({Role.STEWARD, Role.ADMIN})
    public DecisionQueries.VerifyReport verify() {
        return queries.verify();
    }

    @GET
    @Path("/{id}")
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public Response get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "invalid_request", "not a decision id: " + id);
        }
        return queries.find(uuid).map(r -> Response.ok(r).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "not_found", "no decision " + id));
    }

    @GET
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public Response list(@QueryParam("policy") String policy, @QueryParam("allow") Boolean allow,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("cursor") String cursor) {
        try {
            DecisionQueries.Page page = queries.list(policy, allow, instant(since), instant(until), limit, cursor);
            return Response.ok(page).build();
        } catch (DateTimeParseException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "invalid_request",
                    "since/until must be ISO-8601 instants: " + e.getParsedString());
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage());
        }
    }

    private static Instant instant(String s) {
        return s == null || s.isBlank() ? null : Instant.parse(s);
    }

}
