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
import dev.portcullis.gate.bundles.service.BundleService;
import dev.portcullis.gate.bundles.service.BundleStatus;
import dev.portcullis.gate.security.Allowed;
import dev.portcullis.gate.security.Role;
import dev.portcullis.gate.bundles.Names;
import dev.portcullis.gate.decide.InputRejectedException;
import dev.portcullis.gate.decide.RequestParser;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

    /** {@code service}: the bundle service's status per configured bundle (empty when none is configured). */
    public record Listing(List<BundleView> bundles, List<Rejection> rejected, List<BundleStatus> service) {}

    public record Uploaded(String name, Version version) {}

    private final BundleRegistry registry;
    private final RequestParser parser;
    private final BundleService service;

    BundlesResource(BundleRegistry registry, RequestParser parser, BundleService service) {
        this.registry = registry;
        this.parser = parser;
        this.service = service;
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
        return new Listing(views, registry.rejections(), service.status());
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
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.ADMIN)
    public Response activate(@PathParam("name") String name, byte[] body, @Context ContainerRequestContext ctx) {
        try {
            checkName(name);
            String revision = revisionMember(body, false);
            return Response.ok(Version.of(registry.activate(name, revision, Callers.of(ctx).name()))).build();
        } catch (InputRejectedException e) {
            return ApiError.response(e.status(), e.code(), e.getMessage());
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        } catch (BundleRejectedException e) {
            return rejected(e);
        }
    }

    @POST
    @Path("/{name}/rollback")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.ADMIN)
    public Response rollback(@PathParam("name") String name, byte[] body, @Context ContainerRequestContext ctx) {
        try {
            checkName(name);
            // no body, or an empty object: anything else is a request this endpoint does not understand
            if (body != null && body.length > 0 && parser.parseObject(body).size() > 0) {
                throw invalid("rollback takes no body (or {})");
            }
            return Response.ok(Version.of(registry.rollback(name, Callers.of(ctx).name()))).build();
        } catch (InputRejectedException e) {
            return ApiError.response(e.status(), e.code(), e.getMessage());
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        } catch (BundleRejectedException e) {
            return rejected(e);
        }
    }

    /**
     * Sets the shadow revision: the body is exactly {@code {"revision": "<revision>"}}, or
     * {@code {"revision": null}} to clear it (as does {@code DELETE}). Any other body is refused,
     * so a typo never clears a shadow silently.
     */
    @PUT
    @Path("/{name}/shadow")
    @Consumes(MediaType.WILDCARD)
    @Allowed(Role.ADMIN)
    public Response setShadow(@PathParam("name") String name, byte[] body) {
        try {
            checkName(name);
            String revision = revisionMember(body, true);
            registry.setShadow(name, revision);
            return Response.ok(registry.shadowReport(name)).build();
        } catch (InputRejectedException e) {
            return ApiError.response(e.status(), e.code(), e.getMessage());
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        } catch (BundleRejectedException e) {
            return rejected(e);
        }
    }

    @DELETE
    @Path("/{name}/shadow")
    @Allowed(Role.ADMIN)
    public Response clearShadow(@PathParam("name") String name) {
        try {
            checkName(name);
            registry.setShadow(name, null);
            return Response.ok(registry.shadowReport(name)).build();
        } catch (InputRejectedException e) {
            return ApiError.response(e.status(), e.code(), e.getMessage());
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        }
    }

    @GET
    @Path("/{name}/shadow")
    @Allowed({Role.STEWARD, Role.ADMIN})
    public Response shadow(@PathParam("name") String name) {
        try {
            checkName(name);
            ShadowReport r = registry.shadowReport(name);
            return Response.ok(r).build();
        } catch (InputRejectedException e) {
            return ApiError.response(e.status(), e.code(), e.getMessage());
        } catch (UnknownBundleException e) {
            return ApiError.response(Response.Status.NOT_FOUND, "unknown_bundle", e.getMessage());
        }
    }

    private static void checkName(String name) {
        if (!Names.bundleName(name)) {
            throw invalid("bundle name must be " + Names.BUNDLE_NAME_RULE);
        }
    }

    /** The body {@code {"revision": "..."}} (or, when {@code nullable}, {@code {"revision": null}}), strictly. */
    private String revisionMember(byte[] body, boolean nullable) {
        String shape = nullable ? "{\"revision\": \"...\"} or {\"revision\": null}" : "{\"revision\": \"...\"}";
        JsonNode n = parser.parseObject(body);
        JsonNode rev = n.get("revision");
        if (n.size() != 1 || rev == null || !(rev.isTextual() || nullable && rev.isNull())) {
            throw invalid("body must be exactly " + shape);
        }
        if (rev.isNull()) {
            return null;
        }
        if (!Names.revision(rev.textValue())) {
            throw invalid("revision must be " + Names.BUNDLE_NAME_RULE);
        }
        return rev.textValue();
    }

    private static InputRejectedException invalid(String message) {
        return new InputRejectedException(RequestParser.INVALID_INPUT, 400, message);
    }

    private static String rev(BundleVersion v) {
        return v == null ? null : v.revision();
    }

    private static Response rejected(BundleRejectedException e) {
        // 422: the bundle was understood and refused; 409: it contradicts what is already stored
        return ApiError.response(e.isConflict() ? 409 : 422, e.reason(), e.getMessage());
    }
}
