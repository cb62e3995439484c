package dev.portcullis.gate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop load against a running Portcullis on loopback: requests are sent at a fixed rate and
 * latency is measured from each request's scheduled send time (so a stalled server cannot hide
 * its queueing). Afterwards the decision rows written by this run are counted in the database.
 *
 * <pre>
 * java -cp ... dev.portcullis.gate.bench.DecisionLoadBench \
 *     --url http://127.0.0.1:8080 --token bench-token --rate 3000 --seconds 30 \
 *     --jdbc jdbc:postgresql://127.0.0.1:5432/test --jdbc-user postgres
 * </pre>
 * Bounded in count and time; it stops by itself.
 */
public final class DecisionLoadBench {

    public static void main(String[] args) throws Exception {
        String url = arg(args, "--url", "http://127.0.0.1:8080");
        String token = arg(args, "--token", "dev-client");
        int rate = Integer.parseInt(arg(args, "--rate", "3000"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
        int warmup = Integer.parseInt(arg(args, "--warmup-seconds", "5"));
        String jdbc = arg(args, "--jdbc", null);
        String runId = "bench-" + UUID.randomUUID().toString().substring(0, 8);

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create(url + "/v1/decisions");

        System.out.printf("warming up %d s at %d req/s%n", warmup, rate);
        run(client, uri, token, rate, warmup, runId + "-warmup", null);
        System.out.printf("measuring %d s at %d req/s (run %s)%n", seconds, rate, runId);
        Result r = new Result(rate * seconds);
        long wall = run(client, uri, token, rate, seconds, runId, r);

        long[] lat = Arrays.copyOf(r.latNanos, r.count.get());
        Arrays.sort(lat);
        double secs = wall / 1e9;
        System.out.printf("sent %d, completed %d in %.2f s → %.0f decisions/s%n", r.sent.get(), lat.length, secs,
                lat.length / secs);
        System.out.printf("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", pct(lat, 50), pct(lat, 90),
                pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6);
        System.out.printf("allow %d, deny %d, non-deny errors %d (HTTP errors %d, decisions with an error %d)%n",
                r.allow.get(), r.deny.get(), r.httpErrors.get() + r.decisionErrors.get(), r.httpErrors.get(),
                r.decisionErrors.get());
        if (jdbc != null) {
            long rows = countRows(jdbc, arg(args, "--jdbc-user", "postgres"), arg(args, "--jdbc-password", ""), runId);
            long ok = r.allow.get() + r.deny.get();
            System.out.printf("decision rows for this run: %d of %d answered decisions → %d missing%n", rows, ok,
                    ok - rows);
        }
        System.exit(0);
    }

    static final class Result {
        final long[] latNanos;
        final AtomicInteger count = new AtomicInteger();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong allow = new AtomicLong();
        final AtomicLong deny = new AtomicLong();
        final AtomicLong httpErrors = new AtomicLong();
        final AtomicLong decisionErrors = new AtomicLong();

        Result(int capacity) {
            latNanos = new long[capacity + 16];
        }
    }

    /** Sends rate×seconds requests on a fixed schedule; returns the wall time until the last answer. */
    static long run(HttpClient client, URI uri, String token, int rate, int seconds, String runId, Result r)
            throws InterruptedException {
        int total = rate * seconds;
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long periodNanos = 1_000_000_000L / rate;
        AtomicInteger i = new AtomicInteger();
        // a tick every millisecond sends however many requests are due, keeping the rate exact
        ticker.scheduleAtFixedRate(() -> {
            long due = Math.min(total, (System.nanoTime() - start) / periodNanos + 1);
            while (i.get() < due) {
                int n = i.getAndIncrement();
                if (n >= total) {
                    break;
                }
                long scheduled = start + n * periodNanos;
                String user = (n & 1) == 0 ? "alice" : "bob";
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .header("X-Bench-Run", runId)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"policy\":\"opa/wasm/test/decision\",\"input\":{\"user\":\""
                                + user + "\",\"run\":\"" + runId + "\"}}"))
                        .build();
                if (r != null) {
                    r.sent.incrementAndGet();
                }
                client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                    if (r != null) {
                        long lat = System.nanoTime() - scheduled;
                        if (err != null || resp.statusCode() != 200) {
                            r.httpErrors.incrementAndGet();
                        } else if (!resp.body().contains("\"error\":null")) {
                            r.decisionErrors.incrementAndGet();
                        } else if (resp.body().contains("\"allow\":true")) {
                            r.allow.incrementAndGet();
                            r.latNanos[r.count.getAndIncrement()] = lat;
                        } else {
                            r.deny.incrementAndGet();
                            r.latNanos[r.count.getAndIncrement()] = lat;
                        }
                    }
                    done.countDown();
                });
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        done.await(seconds + 30L, TimeUnit.SECONDS);
        long wall = System.nanoTime() - start;
        ticker.shutdownNow();
        return wall;
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
