package dev.portcullis.gate.bundles.service;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OPA bundle server on 127.0.0.1 (JDK HTTP server), as a static file server or object store
 * serves a bundle: {@code GET <path>} answers the current bytes with an ETag, {@code 304} when the
 * request's {@code If-None-Match} matches it. It can be told to fail with a status for a while.
 */
final class BundleServer implements AutoCloseable {

    /** One request as the server saw it. */
    record Request(String path, String ifNoneMatch, String authorization, int status) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile byte[] body;
    private volatile String etag;
    volatile int failWith; // 0: serve

    BundleServer(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext(path, ex -> {
            String inm = ex.getRequestHeaders().getFirst("If-None-Match");
            byte[] b = body;
            int status = failWith != 0 ? failWith
                    : !ex.getRequestURI().getPath().equals(path) || b == null ? 404
                    : etag.equals(inm) ? 304 : 200;
            // recorded before answering: the client may act on the answer before this thread runs again
            requests.add(new Request(ex.getRequestURI().getPath(), inm,
                    ex.getRequestHeaders().getFirst("Authorization"), status));
            if (status == 200) {
                ex.getResponseHeaders().set("ETag", etag);
                ex.getResponseHeaders().set("Content-Type", "application/gzip");
                ex.sendResponseHeaders(status, b.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(b);
                }
            } else {
                if (status == 304) {
                    ex.getResponseHeaders().set("ETag", etag);
                }
                ex.sendResponseHeaders(status, -1);
            }
            ex.close();
        });
        server.start();
    }

    void publish(byte[] bundle, String etag) {
        this.body = bundle;
        this.etag = etag;
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
