package dev.portcullis.gate.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.bundles.ActivationState;
import dev.portcullis.gate.bundles.BundleRegistry;
import dev.portcullis.gate.bundles.BundleRejectedException;
import dev.portcullis.gate.bundles.BundleVersion;
import dev.portcullis.gate.bundles.Rejection;
import dev.portcullis.gate.bundles.ShadowReport;
import dev.portcullis.gate.bundles.UnknownBundleException;
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
import java.time.Instant;
import java.util.List;

/** Bundle versions, activation, rollback and shadow evaluation. Changes are admin-only. */
@Path("/v1/bundles")
@Produces(MediaType.APPLICATION_JSON)
public class BundlesResource {

    public record Version(String revision, String sha256, String signer, boolean signed,
            @JsonProperty("loaded_at") Instant loadedAt, String source, List<String> entrypoints) {
        static Version of(BundleVersion v) {
            return v == null ? null : new Version(v.revision(), v.sha256(), v.signer(), v.signed(), v.loadedAt(),
                    v.source(), v.entrypoints());
        }
    }

    public record BundleView(String name, String active, String previous, String shadow,
            @JsonProperty("activated_at") Instant activatedAt, @JsonProperty("activated_by") String activatedBy,
            List<Version> versions) {}

    public record Listing(List<BundleView> bundles, List<Rejection> rejected) {}

    public record Uploaded(String name, Version version) {}

    private final BundleRegistry registry;

    BundlesResource(BundleRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Allowed({Role.CLIENT, Role.RESPONDER, Role.STEWARD})
    public Listing list() {
        List<BundleView> views = registry.names().stream().sorted().map(name -> {
            ActivationState s = registry.state(name).orElse(null);
            return new BundleView(name, rev(s == null ? null : s.active()), rev(s == null ? null : s.previous()),
                    rev(s == null ? null : s.shadow()), s == null ? null : s.activatedAt(),
                    s == null ? null : s.activatedBy(),
                    registry.versions(name).stream().map(Version::of).toList());
        }).toList();
        return new Listing(views, registry.rejections());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.ADMIN)
    public Response upload(byte[] body, @Context ContainerRequestContext ctx) {
        try {
            BundleVersion v = registry.upload(body, Callers.of(ctx).name());
            return Response.status(Response.Status.CREATED).entity(new Uploaded(v.name(), Version.of(v))).build();
        } catch (BundleRejectedException e) {
            return rejected(e);
        }
    }

    @POST
    @Path("/{name}/activate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    public Response activate(@PathParam("name") String name, JsonNode body, @Context ContainerRequestContext ctx) {
        JsonNode rev = body == null ? null : body.get("revision");
        if (rev == null || !rev.isTextual()) {
            return ApiError.response(Response.Status.BAD_REQUEST, "invalid_request", "body must be {\"revision\": \"...\"}");
        }
        try {
            return Response.ok(Version.of(registry.activate(name, rev.asText(), Callers.of(ctx).name()))).build();
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        } catch (BundleRejectedException e) {
            return rejected(e);
        }
    }

    @POST
    @Path("/{name}/rollback")
    @Allowed(Role.ADMIN)
    public Response rollback(@PathParam("name") String name, @Context ContainerRequestContext ctx) {
        try {
            return Response.ok(Version.of(registry.rollback(name, Callers.of(ctx).name()))).build();
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        } catch (BundleRejectedException e) {
            return rejected(e);
        }
    }

    @PUT
    @Path("/{name}/shadow")
    @Consumes(MediaType.APPLICATION_JSON)
    @Allowed(Role.ADMIN)
    public Response setShadow(@PathParam("name") String name, JsonNode body) {
        JsonNode rev = body == null ? null : body.get("revision");
        try {
            registry.setShadow(name, rev == null || rev.isNull() ? null : rev.asText());
            return Response.ok(registry.shadowReport(name)).build();
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        } catch (BundleRejectedException e) {
            return rejected(e);
        }
    }

    @GET
    @Path("/{name}/shadow")
    @Allowed({Role.STEWARD, Role.ADMIN})
    public Response shadow(@PathParam("name") String name) {
        try {
            ShadowReport r = registry.shadowReport(name);
            return Response.ok(r).build();
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        }
    }

    private static String rev(BundleVersion v) {
        return v == null ? null : v.revision();
    }

    private static Response rejected(BundleRejectedException e) {
        // 422: the bundle was understood and refused; 409: it contradicts what is already stored
        return ApiError.response(e.isConflict() ? 409 : 422, e.reason(), e.getMessage());
    }
}
