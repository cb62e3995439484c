package dev.portcullis.gate.decisionlog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gate.decisions.DecisionQueries;
import dev.portcullis.gate.decisions.DecisionRecord;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Ships the decision record to an OPA decision-log service, at least once, from the durable record itself: it
 * reads {@code decision} rows forward from the sink's acknowledged seq ({@code decision_log_position}), POSTs them
 * as one gzip-compressed JSON array of OPA events, and advances the position only after a 2xx answer. Nothing is
 * held in memory that the database does not also hold, so a receiver outage, a restart or a crash loses nothing:
 * shipping lags and resumes from the last acknowledged seq (a batch in flight at a crash is sent again).
 *
 * <p>Failed uploads are retried with exponential back-off (doubling from {@code backoff-initial} to
 * {@code backoff-max}, with jitter). With several replicas, one holds the lease in {@code decision_log_position}
 * and ships; the others stand by. The decision record's seq has no gaps (each commit appends after the committed
 * tail), so reading {@code seq > acked} in order cannot skip a decision; should a gap ever appear, shipping stops
 * before it and waits rather than step over it.
 */
@ApplicationScoped
public class DecisionLogShipper {

    private static final Logger LOG = Logger.getLogger(DecisionLogShipper.class);

    @Inject
    DecisionLogConfig config;

    @Inject
    DecisionQueries queries;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry meters;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    private final Object sleeper = new Object();
    private volatile Thread thread;
    private volatile boolean running;
    private ShippingPosition position;
    private DecisionLogEvents events;
    private HttpClient http;
    private final AtomicLong acked = new AtomicLong(-1);
    private final AtomicLong tail = new AtomicLong(0);
    private volatile String lastError;
    private volatile Instant lastSuccess;
    private Counter shipped;
    private Counter failures;

    void onStart(@Observes StartupEvent ev) {
        if (config.url().isPresent()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        stop();
    }

    /** Starts shipping (reading the position from the database, as after a restart). */
    public synchronized void start() {
        if (running) {
            return;
        }
        URI url = config.url().orElseThrow(() -> new IllegalStateException("portcullis.decision-log.url is not set"));
        String id = config.instanceId().orElseGet(DecisionLogShipper::hostName);
        Map<String, String> labels = new LinkedHashMap<>(config.labels());
        labels.put("id", id);
        labels.put("version", version);
        events = new DecisionLogEvents(json, labels, config.erase().orElse(List.of()));
        position = new ShippingPosition(dataSource, config.sink(), id + "/" + java.util.UUID.randomUUID());
        http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        if (shipped == null) {
            shipped = Counter.builder("portcullis.decision.log.shipped").description("Decision-log events acknowledged by the receiver")
                    .register(meters);
            failures = Counter.builder("portcullis.decision.log.failures").description("Failed decision-log uploads")
                    .register(meters);
            Gauge.builder("portcullis.decision.log.lag", this, s -> s.acked.get() < 0 ? Double.NaN : s.tail.get() - s.acked.get())
                    .description("Decisions recorded but not yet acknowledged by the decision-log receiver")
                    .register(meters);
        }
        running = true;
        Thread t = new Thread(this::run, "portcullis-decision-log");
        t.setDaemon(true);
        thread = t;
        t.start();
        LOG.infof("decision-log shipping to %s (sink %s)", url, config.sink());
    }

    /** Stops shipping; the position stays in the database. */
    public synchronized void stop() {
        running = false;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            // no interrupt: interrupting JDBC I/O (notably embedded H2) can close the database
            try {
                t.join(config.timeout().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
            try {
                position.release();
            } catch (Exception e) {
                LOG.debugf("cannot release the decision-log lease: %s", e.toString());
            }
        }
    }

    /** The acknowledged seq as last seen by this replica (-1 before the first read). */
    public long ackedSeq() {
        return acked.get();
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    private void run() {
        long backoff = 0;
        while (running) {
            long wait;
            try {
                int sent = shipOnce();
                lastError = null;
                backoff = 0;
                wait = sent >= config.maxBatch() ? 0 : config.pollInterval().toMillis();
            } catch (ShipException e) {
                failures.increment();
                lastError = e.getMessage();
                long initial = Math.max(1, config.backoffInitial().toMillis());
                backoff = backoff == 0 ? initial : Math.min(config.backoffMax().toMillis(), backoff * 2);
                wait = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                LOG.warnf("decision-log upload failed (retry in %d ms): %s", wait, e.getMessage());
            } catch (RuntimeException e) {
                lastError = e.toString();
                wait = config.pollInterval().toMillis();
                LOG.warnf("decision-log shipping: %s", e.toString());
            }
            if (wait > 0) {
                synchronized (sleeper) {
                    try {
                        if (running) {
                            sleeper.wait(wait);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** One round: lease, read, upload, acknowledge. Returns the number of events acknowledged. */
    int shipOnce() {
        Instant now = Instant.now();
        long from;
        try {
            from = position.acquire(now, now.plus(config.lease()));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("decision store unavailable: " + e.getMessage(), e);
        }
        tail.set(queries.lastSeq());
        if (from < 0) {
            return 0; // another replica ships
        }
        acked.set(from);
        List<DecisionRecord> rows = queries.after(from, config.maxBatch());
        List<ObjectNode> batch = new ArrayList<>(rows.size());
        long expected = from + 1;
        long bytes = 0;
        for (DecisionRecord r : rows) {
            if (r.seq() != expected) {
                LOG.warnf("decision record has no seq %d (next is %d); shipping waits for it", expected, r.seq());
                break;
            }
            ObjectNode e = events.event(r);
            bytes += e.toString().length();
            if (!batch.isEmpty() && bytes > config.maxBatchBytes()) {
                break;
            }
            batch.add(e);
            expected++;
        }
        if (batch.isEmpty()) {
            return 0;
        }
        upload(batch);
        long to = from + batch.size();
        try {
            if (!position.advance(from, to, Instant.now())) {
                LOG.infof("decision-log position moved by another replica; this batch may be shipped twice");
                return 0;
            }
        } catch (java.sql.SQLException e) {
            // acknowledged but not recorded: the batch is sent again after recovery (at least once)
            throw new IllegalStateException("cannot record the decision-log position: " + e.getMessage(), e);
        }
        acked.set(to);
        shipped.increment(batch.size());
        lastSuccess = Instant.now();
        return batch.size();
    }

    private void upload(List<ObjectNode> batch) {
        byte[] body;
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
                json.writeValue(gz, batch);
            }
            body = buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(config.url().orElseThrow())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        config.bearerToken().ifPresent(t -> req.header("Authorization", "Bearer " + t));
        HttpResponse<Void> resp;
        try {
            resp = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new ShipException("receiver unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShipException("interrupted");
        }
        if (resp.statusCode() / 100 != 2) {
            throw new ShipException("receiver answered HTTP " + resp.statusCode());
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "portcullis";
        }
    }

    /** An upload that did not get a 2xx answer. */
    static final class ShipException extends RuntimeException {
        ShipException(String message) {
            super(message);
        }
    }
}
