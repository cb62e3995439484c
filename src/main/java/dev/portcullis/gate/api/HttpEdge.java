package dev.portcullis.gate.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * JSON answers for what the HTTP container refuses on its own, so that every error the service
 * gives is {@code {code, message}}:
 *
 * <ul>
 *   <li>a body whose {@code Content-Length} exceeds {@code quarkus.http.limits.max-body-size}: a
 *       route that runs just before Quarkus's own limit check (which would answer 413 with no
 *       body);</li>
 *   <li>a request Netty cannot decode (request line over {@code max-initial-line-length} → 414,
 *       headers over {@code max-header-size} → 431, anything else, such as control bytes in a header
 *       value, → 400): Vert.x hands those to the server's "invalid request handler", which Quarkus
 *       does not let an application set. It is installed here once the server listens, by
 *       reflection on Vert.x 4.5 internals; {@code HostileInputTest} proves it over raw sockets,
 *       so a Vert.x upgrade that moves them fails the build rather than the promise.</li>
 * </ul>
 */
@ApplicationScoped
public class HttpEdge {

    private static final Logger LOG = Logger.getLogger(HttpEdge.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Quarkus checks Content-Length in a route at order -2 (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT). */
    private static final int ORDER_BEFORE_UPLOAD_LIMIT = -3;

    private final Vertx vertx;
    private final AtomicBoolean installedOnFirstRequest = new AtomicBoolean();
    private final long maxBody;
    private final BodyHandler chunkedBody;
    private final int maxLine;
    private final long maxHeaders;

    HttpEdge(Vertx vertx, @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBody,
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length", defaultValue = "4096") int maxLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size", defaultValue = "20K") MemorySize maxHeaders) {
        this.vertx = vertx;
        this.maxBody = maxBody.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.maxLine = maxLine;
        this.maxHeaders = maxHeaders.asLongValue();
        this.chunkedBody = BodyHandler.create(false).setBodyLimit(this.maxBody);
    }

    void routes(@Observes Router router) {
        router.route().order(ORDER_BEFORE_UPLOAD_LIMIT).handler(this::bodyLimit).failureHandler(this::bodyFailed);
        // failures no route handled (a path Vert.x Web cannot parse, e.g. with a NUL byte, is a 400
        // before any route runs): JSON instead of the router's empty default answer
        for (int status : new int[] {400, 404, 405, 413, 500}) {
            router.errorHandler(status, ctx -> unhandled(ctx, status));
        }
    }

    private void unhandled(RoutingContext ctx, int status) {
        HttpServerResponse resp = ctx.response();
        if (resp.headWritten()) {
            resp.close();
            return;
        }
        ApiError e = switch (status) {
            case 400 -> new ApiError(EdgeError.MALFORMED_REQUEST.code(), "the request path or query cannot be parsed");
            case 404 -> new ApiError("not_found", "no resource at this path");
            case 405 -> new ApiError("method_not_allowed", "this resource does not take that method");
            case 413 -> new ApiError(EdgeError.REQUEST_TOO_LARGE.code(), EdgeError.REQUEST_TOO_LARGE.message(maxBody));
            default -> new ApiError("internal_error", "internal error; see the server log");
        };
        try {
            resp.setStatusCode(status).putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(e));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void bodyLimit(RoutingContext ctx) {
        if (!installedOnFirstRequest.get() && installedOnFirstRequest.compareAndSet(false, true)) {
            install();
        }
        String length = ctx.request().getHeader("Content-Length");
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                n = -1; // Netty refuses such framing before this route; let the container decide
            }
            if (n > maxBody) {
                tooLarge(ctx);
                return;
            }
        } else if (ctx.request().headers().contains("Transfer-Encoding", "chunked", true)) {
            // no length to check up front: read the body here under the limit (the resources get it
            // from the routing context), so an oversized one fails into bodyFailed below
            chunkedBody.handle(ctx);
            return;
        }
        ctx.next();
    }

    private void bodyFailed(RoutingContext ctx) {
        if (ctx.statusCode() == EdgeError.REQUEST_TOO_LARGE.status() && !ctx.response().headWritten()) {
            tooLarge(ctx);
        } else {
            ctx.next();
        }
    }

    private void tooLarge(RoutingContext ctx) {
        ctx.response().putHeader("Connection", "close");
        answer(ctx.response(), EdgeError.REQUEST_TOO_LARGE, maxBody)
                .onComplete(x -> ctx.request().connection().close());
    }

    /** Quarkus fires this asynchronously once a server instance listens. */
    void started(@ObservesAsync HttpServerStart start) {
        install();
    }

    /**
     * Installs the handler on every server instance listening now (idempotent). Called when a
     * server starts and again on the first routed request, when every instance listens.
     */
    private void install() {
        int n = installInvalidRequestHandler(vertx, this::invalid);
        if (n == 0) {
            LOG.warn("could not install the JSON answer for undecodable HTTP requests; the container will answer"
                    + " them with an empty body");
        } else {
            LOG.debugf("JSON answer for undecodable HTTP requests installed on %d server instances", n);
        }
    }

    private void invalid(HttpServerRequest req) {
        Throwable cause = req.decoderResult().cause();
        EdgeError e;
        long limit = 0;
        if (cause instanceof TooLongHttpLineException) {
            e = EdgeError.URI_TOO_LONG;
            limit = maxLine;
        } else if (cause instanceof TooLongHttpHeaderException) {
            e = EdgeError.HEADERS_TOO_LARGE;
            limit = maxHeaders;
        } else {
            e = EdgeError.MALFORMED_REQUEST;
        }
        HttpServerResponse resp = req.response();
        resp.putHeader("Connection", "close");
        answer(resp, e, limit).onComplete(x -> resp.close());
    }

    private static io.vertx.core.Future<Void> answer(HttpServerResponse resp, EdgeError e, long limit) {
        String body;
        try {
            body = JSON.writeValueAsString(new ApiError(e.code(), e.message(limit)));
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
        return resp.setStatusCode(e.status()).putHeader("Content-Type", "application/json").end(body);
    }

    /**
     * Replaces the invalid-request handler of every HTTP server worker of {@code vertx}: the
     * listening server's channel balancer holds, per event loop, the workers of each server
     * instance (one per Quarkus HTTP verticle); each worker's connection handler carries the
     * invalid-request handler it gives new connections. Returns how many were replaced.
     */
    static int installInvalidRequestHandler(Vertx vertx, Handler<HttpServerRequest> handler) {
        int n = 0;
        try {
            Map<?, ?> servers = ((VertxInternal) vertx).sharedHttpServers();
            Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Object server : servers.values()) {
                Object balancer = read(server, "io.vertx.core.net.impl.TCPServerBase", "channelBalancer");
                Map<?, ?> workerMap = (Map<?, ?>) read(balancer, balancer.getClass().getName(), "workerMap");
                for (Object workerList : workerMap.values()) {
                    List<?> workers = (List<?>) read(workerList, workerList.getClass().getName(), "list");
                    for (Object worker : new ArrayList<>(workers)) {
                        for (Object captured : captured(worker)) {
                            Object childHandler = captured == null ? null
                                    : tryRead(captured, "io.vertx.core.net.impl.TCPServerBase", "childHandler");
                            if (childHandler == null || !seen.add(childHandler)) {
                                continue;
                            }
                            Object connHandler = read(childHandler, "io.vertx.core.http.impl.HttpServerWorker",
                                    "connectionHandler");
                            write(connHandler, "io.vertx.core.http.impl.HttpServerConnectionHandler",
                                    "invalidRequestHandler", handler);
                            Object requests = read(connHandler, "io.vertx.core.http.impl.HttpServerConnectionHandler",
                                    "requestHandler");
                            if (requests instanceof Handler<?> h && !(requests instanceof UriCheck)) {
                                @SuppressWarnings("unchecked")
                                Handler<HttpServerRequest> next = (Handler<HttpServerRequest>) h;
                                write(connHandler, "io.vertx.core.http.impl.HttpServerConnectionHandler",
                                        "requestHandler", new UriCheck(next));
                            }
                            n++;
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("cannot reach the Vert.x HTTP server internals: %s", e.toString());
        }
        return n;
    }

    /**
     * Quarkus's root handler answers a request target that {@link java.net.URI} cannot parse (a
     * raw NUL, a space) with an empty 400 before any route runs; this runs the same check first
     * and answers with JSON.
     */
    private record UriCheck(Handler<HttpServerRequest> next) implements Handler<HttpServerRequest> {
        @Override
        public void handle(HttpServerRequest req) {
            try {
                new java.net.URI(req.uri());
            } catch (java.net.URISyntaxException e) {
                req.response().putHeader("Connection", "close");
                answer(req.response(), EdgeError.MALFORMED_REQUEST, 0).onComplete(x -> req.response().close());
                return;
            }
            next.handle(req);
        }
    }

    /** The values a lambda captured (its synthetic fields). */
    private static Collection<Object> captured(Object lambda) throws IllegalAccessException {
        List<Object> out = new ArrayList<>();
        for (Field f : lambda.getClass().getDeclaredFields()) {
            f.setAccessible(true);
            out.add(f.get(lambda));
        }
        return out;
    }

    private static Object read(Object o, String declaringClass, String field) throws ReflectiveOperationException {
        Field f = field(o, declaringClass, field);
        return f.get(o);
    }

    private static Object tryRead(Object o, String declaringClass, String field) {
        try {
            return read(o, declaringClass, field);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static void write(Object o, String declaringClass, String field, Object value)
            throws ReflectiveOperationException {
        field(o, declaringClass, field).set(o, value);
    }

    private static Field field(Object o, String declaringClass, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(declaringClass)) {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            }
        }
        throw new NoSuchFieldException(declaringClass + "." + name + " in " + o.getClass().getName());
    }
}
