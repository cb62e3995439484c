package dev.portcullis.gate.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Fixed-rate load against a running Portcullis on loopback. {@code --connections} keep-alive
 * HTTP/1.1 connections each send their share of {@code --rate} on a fixed schedule; latency is
 * measured from each request's <em>scheduled</em> send time, so a stalled server cannot hide its
 * queueing (no coordinated omission). Afterwards the decision rows of this run are counted in the
 * database. Bounded in count and time; it stops by itself.
 *
 * <pre>
 * java -cp ... dev.portcullis.gate.bench.DecisionLoadBench --url http://127.0.0.1:8080 --token T \
 *     --rate 3000 --seconds 30 --connections 16 --jdbc jdbc:postgresql://127.0.0.1:5432/db --jdbc-user postgres
 * </pre>
 */
public final class DecisionLoadBench {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(arg(args, "--url", "http://127.0.0.1:8080"));
        String token = arg(args, "--token", "dev-client");
        int rate = Integer.parseInt(arg(args, "--rate", "3000"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
        int warmup = Integer.parseInt(arg(args, "--warmup-seconds", "5"));
        int connections = Integer.parseInt(arg(args, "--connections", "16"));
        String jdbc = arg(args, "--jdbc", null);
        String runId = "bench-" + UUID.randomUUID().toString().substring(0, 8);

        System.out.printf("warming up %d s at %d req/s over %d connections%n", warmup, rate, connections);
        run(url, token, rate, warmup, connections, runId + "-warmup");
        System.out.printf("measuring %d s at %d req/s over %d connections (run %s)%n", seconds, rate, connections, runId);
        Result r = run(url, token, rate, seconds, connections, runId);

        long[] lat = r.latencies();
        double secs = r.wallNanos / 1e9;
        System.out.printf("completed %d decisions in %.2f s → %.0f decisions/s%n", lat.length, secs, lat.length / secs);
        System.out.printf("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", pct(lat, 50), pct(lat, 90),
                pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
        System.out.printf("allow %d, deny %d, non-deny errors %d%n", r.allow.get(), r.deny.get(), r.errors.get());
        if (jdbc != null) {
            long rows = countRows(jdbc, arg(args, "--jdbc-user", "postgres"), arg(args, "--jdbc-password", ""), runId);
            long answered = r.allow.get() + r.deny.get();
            System.out.printf("decision rows for this run: %d for %d answered decisions → %d missing%n", rows,
                    answered, Math.max(0, answered - rows));
        }
    }

    static final class Result {
        final List<long[]> perConnection = new ArrayList<>();
        final AtomicLong allow = new AtomicLong();
        final AtomicLong deny = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        long wallNanos;

        long[] latencies() {
            int n = perConnection.stream().mapToInt(a -> (int) a[0]).sum();
            long[] all = new long[n];
            int k = 0;
            for (long[] a : perConnection) {
                System.arraycopy(a, 1, all, k, (int) a[0]);
                k += (int) a[0];
            }
            Arrays.sort(all);
            return all;
        }
    }

    static Result run(URI url, String token, int rate, int seconds, int connections, String runId)
            throws InterruptedException {
        Result r = new Result();
        long total = (long) rate * seconds;
        long period = 1_000_000_000L * connections / rate;
        long start = System.nanoTime() + 50_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            long[] lat = new long[(int) (total / connections) + 2];
            r.perConnection.add(lat);
            int conn = c;
            Thread t = new Thread(() -> drive(url, token, runId, start + conn * (period / connections), period,
                    total / connections, lat, r), "load-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(seconds * 1000L + 60_000L);
        }
        r.wallNanos = System.nanoTime() - start;
        return r;
    }

    /** One connection: send request i at first + i·period, wait for its answer, repeat. */
    static void drive(URI url, String token, String runId, long first, long period, long count, long[] lat, Result r) {
        Socket socket = null;
        try {
            for (long i = 0; i < count; i++) {
                long scheduled = first + i * period;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String user = (i & 1) == 0 ? "alice" : "bob";
                String body = "{\"policy\":\"opa/wasm/test/decision\",\"input\":{\"user\":\"" + user
                        + "\",\"run\":\"" + runId + "\"}}";
                try {
                    if (socket == null) {
                        socket = new Socket(url.getHost(), url.getPort());
                        socket.setTcpNoDelay(true);
                    }
                    String answer = exchange(socket, url, token, body);
                    long l = System.nanoTime() - scheduled;
                    if (answer.contains("\"error\":null") && answer.contains("\"allow\":true")) {
                        r.allow.incrementAndGet();
                    } else if (answer.contains("\"error\":null") && answer.contains("\"allow\":false")) {
                        r.deny.incrementAndGet();
                    } else {
                        r.errors.incrementAndGet();
                        continue;
                    }
                    lat[(int) ++lat[0]] = l;
                } catch (IOException e) {
                    r.errors.incrementAndGet();
                    closeQuietly(socket);
                    socket = null;
                }
            }
        } finally {
            closeQuietly(socket);
        }
    }

    static String exchange(Socket s, URI url, String token, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/decisions HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                + b.length + "\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
        InputStream in = new BufferedInputStream(s.getInputStream());
        String status = readLine(in);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected status " + status);
        }
        int length = -1;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("no content-length");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static void closeQuietly(Socket s) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException ignored) {
            // closing a broken connection
        }
    }

    static long countRows(String jdbc, String user, String password, String runId) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, user, password);
             PreparedStatement ps = c.prepareStatement("select count(*) from decision where input like ?")) {
            ps.setString(1, "%\"run\":\"" + runId + "\"%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int idx = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, idx)] / 1e6;
    }

    static String arg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
