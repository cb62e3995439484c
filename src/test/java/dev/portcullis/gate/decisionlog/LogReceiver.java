package dev.portcullis.gate.decisionlog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A real decision-log service on 127.0.0.1 (JDK HTTP server): accepts {@code POST /logs} with a gzip-compressed
 * JSON array, as OPA's decision-log service API describes it. It can answer 503 for a while or be stopped and
 * started again on the same port (receiver downtime).
 */
public final class LogReceiver {

    public record Upload(String contentEncoding, String contentType, String authorization, List<JsonNode> events) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public final int port;
    private HttpServer server;
    public final List<Upload> uploads = new CopyOnWriteArrayList<>();
    volatile int failWith; // 0 = accept
    volatile int refused;

    public LogReceiver(int port) {
        this.port = port;
    }

    public synchronized void start() throws IOException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
                break;
            } catch (java.net.BindException e) {
                if (System.currentTimeMillis() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        server.createContext("/logs", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                byte[] raw = in.readAllBytes();
                if (failWith != 0) {
                    refused++;
                    ex.sendResponseHeaders(failWith, -1);
                    return;
                }
                if (!"POST".equals(ex.getRequestMethod())) {
                    ex.sendResponseHeaders(405, -1);
                    return;
                }
                String enc = ex.getRequestHeaders().getFirst("Content-Encoding");
                InputStream body = new java.io.ByteArrayInputStream(raw);
                if ("gzip".equals(enc)) {
                    body = new GZIPInputStream(body);
                }
                JsonNode array = JSON.readTree(body);
                List<JsonNode> events = new ArrayList<>();
                array.forEach(events::add);
                uploads.add(new Upload(enc, ex.getRequestHeaders().getFirst("Content-Type"),
                        ex.getRequestHeaders().getFirst("Authorization"), events));
                ex.sendResponseHeaders(204, -1);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public List<JsonNode> events() {
        List<JsonNode> out = new ArrayList<>();
        for (Upload u : uploads) {
            out.addAll(u.events());
        }
        return out;
    }

    public List<String> decisionIds() {
        return events().stream().map(e -> e.path("decision_id").asText()).toList();
    }
}
