package dev.portcullis.gate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.decide.DecisionService;
import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.decisions.DecisionQueries;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PathParam;
import java.time.Instant;
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
import jakarta.ws.rs.core.UriInfo;
import dev.portcullis.gate.bundles.Names;
import dev.portcullis.gate.json.LogText;
import dev.portcullis.gate.json.StrictJson;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /v1/decisions}: allow or deny, with reasons, obligations and the bundle that decided;
 * the GETs read the decision record back (one decision, a filtered page, or a walk of the hash chain).
 */
@Path("/v1/decisions")
public class DecisionsResource {

    static final String INVALID_REQUEST = "invalid_request";

    /** The answer to a decision request. {@code error} is null unless the deny was forced by a failure. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record DecisionResponse(@JsonProperty("decision_id") UUID decisionId, boolean allow,
            List<JsonNode> reasons, List<JsonNode> obligations, BundleRef bundle, ApiError error) {

        public static DecisionResponse of(DecisionOutcome o) {
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
            StrictJson.Envelope req = parser.parseEnvelope(body, "input");
            for (var it = req.members().fieldNames(); it.hasNext();) {
                String member = it.next();
                if (!member.equals("policy")) {
                    throw new InputRejectedException(RequestParser.INVALID_INPUT, 400, "unknown member "
                            + LogText.quote(member) + "; a decision request is {\"policy\": \"...\", \"input\": ...}");
                }
            }
            JsonNode p = req.members().get("policy");
            if (p == null || !p.isTextual()) {
                throw new InputRejectedException(RequestParser.INVALID_INPUT, 400,
                        "\"policy\" must name an entrypoint such as gate/access/request/decision");
            }
            policy = p.textValue();
            if (!Names.entrypoint(policy)) {
                throw new InputRejectedException(RequestParser.INVALID_INPUT, 400,
                        "\"policy\" must be " + Names.ENTRYPOINT_RULE);
            }
            o = decisions.decide(Callers.of(ctx), policy, req.raw(), DecisionService.Shape.DECISION);
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
            if (id.length() != 36) {
                throw new IllegalArgumentException();
            }
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, INVALID_REQUEST,
                    "not a decision id (expected a UUID such as 9b0c5f1e-...)");
        }
        return queries.find(uuid).map(r -> Response.ok(r).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "not_found", "no decision " + uuid));
    }

    /**
     * Lists decisions, newest first. Every parameter is checked before the database sees it:
     * {@code policy} an entrypoint name (or one of the markers recorded for refused requests),
     * {@code allow} exactly {@code true|false}, {@code since}/{@code until} ISO-8601 instants in
     * years 0001-9999, {@code limit} 1-{@value DecisionQueries#MAX_LIMIT}, {@code cursor} as
     * returned by the previous page; each at most once.
     */
    @GET
    @Allowed({Role.RESPONDER, Role.STEWARD})
    public Response list(@Context UriInfo uri) {
        try {
            QueryParams q = new QueryParams(uri.getQueryParameters(), "policy", "allow", "since", "until", "limit",
                    "cursor");
            String policy = q.string("policy");
            if (policy != null && !Names.entrypoint(policy) && !policy.equals(DecisionService.UNPARSED_POLICY)
                    && !policy.equals(DecisionService.INVALID_POLICY)) {
                throw new IllegalArgumentException("policy must be " + Names.ENTRYPOINT_RULE);
            }
            Boolean allow = q.bool("allow");
            Instant since = q.instant("since");
            Instant until = q.instant("until");
            int limit = q.integer("limit", 1, DecisionQueries.MAX_LIMIT, 100);
            String cursor = q.string("cursor");
            if (cursor != null && !DecisionQueries.validCursor(cursor)) {
                throw new IllegalArgumentException("cursor is not one this service returned");
            }
            return Response.ok(queries.list(policy, allow, since, until, limit, cursor)).build();
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, INVALID_REQUEST, e.getMessage());
        }
    }
}
