package dev.portcullis.gate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.bundles.Names;
import dev.portcullis.gate.decide.DecisionOutcome;
import dev.portcullis.gate.decide.DecisionService;
import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import dev.portcullis.gate.json.JsonText;
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
import java.util.List;

/**
 * OPA's Data API as OPA serves it, so existing OPA clients work unchanged: {@code GET} and
 * {@code POST /v1/data/{path}} for an entrypoint of an active bundle or any document below one,
 * and OPA's default decision {@code POST /}. Every answer is a recorded decision; an undefined
 * document is {@code 200} without {@code result} (recorded as a deny). Query flags as OPA reads
 * them ({@link OpaFlags}): {@code pretty}, {@code provenance}, {@code strict-builtin-errors}.
 */
@Path("/")
public class DataResource {

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();
    /** Flags OPA's Data API accepts; {@code explain}, {@code metrics}, {@code instrument} are accepted and ignored. */
    private static final List<String> FLAGS = List.of("pretty", "provenance", "strict-builtin-errors", "explain",
            "metrics", "instrument");

    private final DecisionService decisions;
    private final RequestParser parser;
    private final DataApiConfig config;

    DataResource(DecisionService decisions, RequestParser parser, DataApiConfig config) {
        this.decisions = decisions;
        this.parser = parser;
        this.config = config;
    }

    /** OPA answers a GET without input; the document is evaluated with the empty object as input. */
    @GET
    @Path("v1/data/{path: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed(Role.CLIENT)
    public Response get(@PathParam("path") String path, @Context UriInfo uri, @Context ContainerRequestContext ctx) {
        return document(path, null, uri, ctx);
    }

    @POST
    @Path("v1/data/{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed(Role.CLIENT)
    public Response post(@PathParam("path") String path, byte[] body, @Context UriInfo uri,
            @Context ContainerRequestContext ctx) {
        return document(path, body, uri, ctx);
    }

    /**
     * OPA's default decision: the body is the input itself, the answer the bare value of
     * {@code portcullis.data.default-decision}; an undefined value is 404 {@code undefined_document}.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Allowed(Role.CLIENT)
    public Response defaultDecision(byte[] body, @Context UriInfo uri, @Context ContainerRequestContext ctx) {
        String path = config.defaultDecision();
        DecisionOutcome o;
        OpaFlags flags;
        try {
            flags = OpaFlags.of(uri.getQueryParameters(), FLAGS);
            JsonText input = body == null || body.length == 0 ? null : parser.parseValue(body);
            o = decisions.decideDocument(Callers.of(ctx), path, input);
        } catch (InputRejectedException e) {
            return error(decisions.rejectInput(Callers.of(ctx), path, e), false);
        }
        if (o.errorCode() != null) {
            return error(o, flags.on("pretty"));
        }
        if (o.value() == null) {
            ObjectNode err = JsonNodeFactory.instance.objectNode();
            err.put("code", "undefined_document");
            err.put("message", "document " + path + " is undefined for this input");
            err.put("decision_id", o.decisionId().toString());
            return json(404, err, flags.on("pretty"));
        }
        return json(200, o.value(), flags.on("pretty"));
    }

    private Response document(String path, byte[] body, UriInfo uri, ContainerRequestContext ctx) {
        String policy = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        DecisionOutcome o;
        OpaFlags flags = null;
        try {
            if (!Names.entrypoint(policy)) {
                throw new InputRejectedException(RequestParser.INVALID_INPUT, 400,
                        "the data path must be " + Names.ENTRYPOINT_RULE);
            }
            flags = OpaFlags.of(uri.getQueryParameters(), FLAGS);
            JsonText input = null;
            if (body != null && body.length > 0) {
                // OPA's body is {"input": ...}; other members are checked like everything else and ignored
                input = parser.parseEnvelope(body, "input").raw();
            }
            o = decisions.decideDocument(Callers.of(ctx), policy, input);
        } catch (InputRejectedException e) {
            o = decisions.rejectInput(Callers.of(ctx), policy, e);
        }
        boolean pretty = flags != null && flags.on("pretty");
        if (o.errorCode() != null) {
            return error(o, pretty);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("decision_id", o.decisionId().toString());
        if (o.value() != null) {
            out.set("result", o.value());
        }
        if (flags.on("provenance") && o.bundle() != null) {
            ObjectNode b = out.putObject("provenance").putObject("bundles").putObject(o.bundle().name());
            b.put("revision", o.bundle().revision());
        }
        return json(200, out, pretty);
    }

    private static Response error(DecisionOutcome o, boolean pretty) {
        ObjectNode err = JsonNodeFactory.instance.objectNode();
        err.put("code", o.errorCode());
        err.put("message", o.errorMessage());
        err.put("decision_id", o.decisionId().toString());
        return json(o.httpStatus(), err, pretty);
    }

    private static Response json(int status, JsonNode body, boolean pretty) {
        try {
            String text = (pretty ? PRETTY : COMPACT).writeValueAsString(body);
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(text).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a JsonNode always serialises
        }
    }
}
