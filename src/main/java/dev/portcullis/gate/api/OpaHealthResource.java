package dev.portcullis.gate.api;

import dev.portcullis.gate.bundles.BundleRegistry;
import dev.portcullis.gate.bundles.service.BundleService;
import dev.portcullis.gate.security.Anonymous;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;

/**
 * OPA's {@code GET /health}, for load balancers and clients written for OPA: {@code 200 {}} when the
 * server answers; with {@code ?bundles} only when a bundle is active (and every bundle configured for
 * the bundle service has been activated), else {@code 500 {"error": ...}} as OPA does. Kubernetes
 * probes use {@code /q/health/*}, which also check the decision store.
 */
@Path("/health")
public class OpaHealthResource {

    private final BundleRegistry registry;
    private final BundleService service;

    OpaHealthResource(BundleRegistry registry, BundleService service) {
        this.registry = registry;
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Anonymous
    public Response health(@Context UriInfo uri) {
        OpaFlags flags;
        try {
            flags = OpaFlags.of(uri.getQueryParameters(), List.of("bundles", "plugins"));
        } catch (dev.portcullis.gate.decide.InputRejectedException e) {
            return ApiError.response(400, e.code(), e.getMessage());
        }
        if (flags.on("bundles") || flags.on("plugins")) {
            if (!registry.hasActive()) {
                return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Map.of("error", "no bundle is active")).build();
            }
            String missing = service.notYetActivated();
            if (missing != null) {
                return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(Map.of("error", "bundle " + missing + " has not been activated")).build();
            }
        }
        return Response.ok(Map.of()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
