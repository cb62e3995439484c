package dev.portcullis.gate.bundles.service;

import dev.portcullis.gate.bundles.BundleRegistry;
import dev.portcullis.gate.bundles.BundleRejectedException;
import dev.portcullis.gate.bundles.Names;
import dev.portcullis.gate.json.LogText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * OPA's bundle protocol, as a client: for every configured bundle, {@code GET <service>/<resource>}
 * with {@code If-None-Match} (the last ETag), on a schedule. {@code 304}: nothing changed. {@code 200}:
 * the bytes go through the registry's one intake path (digest and signature verification, ABI, smoke
 * evaluation, stored under the bundle's name) and a new revision is activated — on this instance by
 * the poll, on the others by the activation they follow from the database or by their own download.
 * Any other answer, a network error or a refused bundle is an error: the current version stays
 * active and the next poll is backed off exponentially (from {@code backoff}, doubling, up to
 * {@code max-delay}). Status per bundle: {@link #status()} ({@code GET /v1/bundles}) and the metrics
 * {@code portcullis.bundle.service.*}.
 *
 * <p>A revision this instance already had (for example after a restart, from the directory) is not
 * activated again, so a rollback made by an administrator holds until the server publishes a new
 * revision.
 */
@ApplicationScoped
public class BundleService {

    private static final Logger LOG = Logger.getLogger(BundleService.class);

    /** Error codes of {@link BundleStatus#code()}. */
    public static final String HTTP_ERROR = "http_error";
    public static final String NETWORK_ERROR = "network_error";
    public static final String TOO_LARGE = "too_large";
    public static final String CONFIG_ERROR = "config_error";

    private final BundleServiceConfig config;
    private final BundleRegistry registry;
    private final MeterRegistry meters;
    private final Map<String, Poller> pollers = new TreeMap<>();
    private ScheduledExecutorService scheduler;
    private HttpClient http;

    BundleService(BundleServiceConfig config, BundleRegistry registry, MeterRegistry meters) {
        this.config = config;
        this.registry = registry;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent ev) {
        start();
    }

    /** Starts one poller per configured bundle (idempotent; nothing when no bundle is configured). */
    public synchronized void start() {
        if (scheduler != null || config.bundles().isEmpty()) {
            return;
        }
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-bundle-service");
            t.setDaemon(true);
            return t;
        });
        for (var e : config.bundles().entrySet()) {
            Poller p = new Poller(e.getKey(), e.getValue());
            pollers.put(e.getKey(), p);
            Gauge.builder("portcullis.bundle.service.last.success", p,
                    q -> q.lastSuccessfulRequest == null ? 0 : q.lastSuccessfulRequest.getEpochSecond())
                    .description("Epoch second of the last successful request to the bundle server (0: none yet)")
                    .tag("bundle", e.getKey()).register(meters);
            Gauge.builder("portcullis.bundle.service.failures", p, q -> q.failures)
                    .description("Consecutive failed polls of the bundle server").tag("bundle", e.getKey())
                    .register(meters);
            scheduler.execute(p::poll);
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Status of every configured bundle, by name. */
    public synchronized List<BundleStatus> status() {
        return pollers.values().stream().map(Poller::status).toList();
    }

    /** The first configured bundle no version of which has ever been active here, or null. */
    public synchronized String notYetActivated() {
        for (Poller p : pollers.values()) {
            if (registry.active(p.name).isEmpty()) {
                return p.name;
            }
        }
        return null;
    }

    /** Polls {@code name} now (tests, and an operator who does not want to wait); returns its status. */
    public BundleStatus pollNow(String name) {
        Poller p;
        synchronized (this) {
            p = pollers.get(name);
        }
        if (p == null) {
            throw new IllegalArgumentException("bundle " + name + " is not configured for the bundle service");
        }
        try {
            return scheduler.submit(() -> {
                p.pollOnce();
                return p.status();
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** One bundle's schedule and state; touched only on the scheduler thread (status reads are racy but atomic per field). */
    private final class Poller {
        final String name;
        final BundleServiceConfig.Bundle cfg;
        volatile Instant lastRequest;
        volatile Instant lastSuccessfulRequest;
        volatile Instant lastSuccessfulDownload;
        volatile Instant lastSuccessfulActivation;
        volatile String revision;
        volatile String etag;
        volatile String code;
        volatile String message;
        volatile int failures;
        volatile Instant nextPoll;
        boolean scheduled;

        Poller(String name, BundleServiceConfig.Bundle cfg) {
            this.name = name;
            this.cfg = cfg;
        }

        BundleStatus status() {
            return new BundleStatus(name, url(), lastRequest, lastSuccessfulRequest, lastSuccessfulDownload,
                    lastSuccessfulActivation, revision, etag, code, message, failures, nextPoll);
        }

        String url() {
            BundleServiceConfig.Service s = config.services().get(cfg.service());
            if (s == null) {
                return null;
            }
            String base = s.url().endsWith("/") ? s.url().substring(0, s.url().length() - 1) : s.url();
            String res = cfg.resource().orElse("bundles/" + name);
            return base + "/" + (res.startsWith("/") ? res.substring(1) : res);
        }

        /** The scheduled poll: wait for the registry, poll, schedule the next one. */
        void poll() {
            if (!registry.started()) {
                scheduler.schedule(this::poll, 100, TimeUnit.MILLISECONDS);
                return;
            }
            try {
                pollOnce();
            } catch (RuntimeException e) {
                fail(NETWORK_ERROR, "unexpected: " + e);
                LOG.errorf(e, "bundle service poll of %s failed", name);
            }
            Duration delay = failures == 0 ? between(cfg.minDelay(), cfg.maxDelay()) : backoff(failures);
            nextPoll = Instant.now().plus(delay);
            scheduler.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
        }

        Duration backoff(int n) {
            return BundleService.backoff(cfg.backoff(), cfg.maxDelay(), n);
        }

        void pollOnce() {
            BundleServiceConfig.Service svc = config.services().get(cfg.service());
            if (svc == null || !Names.bundleName(name)) {
                fail(CONFIG_ERROR, svc == null ? "service " + LogText.quote(cfg.service()) + " is not configured"
                        : "bundle name " + LogText.quote(name) + " is not valid (" + Names.BUNDLE_NAME_RULE + ")");
                return;
            }
            String url = url();
            HttpRequest.Builder rb;
            try {
                rb = HttpRequest.newBuilder(URI.create(url)).timeout(svc.timeout()).GET()
                        .header("Accept", "application/gzip, application/octet-stream");
            } catch (IllegalArgumentException e) {
                fail(CONFIG_ERROR, "bad URL " + LogText.quote(url) + ": " + e.getMessage());
                return;
            }
            svc.token().ifPresent(t -> rb.header("Authorization", "Bearer " + t));
            if (etag != null && registry.version(name, revision).isPresent()) {
                rb.header("If-None-Match", etag);
            }
            lastRequest = Instant.now();
            HttpResponse<InputStream> resp;
            byte[] body;
            try {
                resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = resp.body()) {
                    if (resp.statusCode() == 304) {
                        succeeded("not_modified");
                        return;
                    }
                    if (resp.statusCode() != 200) {
                        fail(HTTP_ERROR, "GET " + url + " answered " + resp.statusCode());
                        return;
                    }
                    body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxDownloadBytes() + 1));
                }
            } catch (IOException e) {
                fail(NETWORK_ERROR, "GET " + url + ": " + e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(NETWORK_ERROR, "interrupted");
                return;
            }
            if (body.length > config.maxDownloadBytes()) {
                fail(TOO_LARGE, "bundle from " + url + " exceeds " + config.maxDownloadBytes() + " bytes");
                return;
            }
            BundleRegistry.Received r;
            try {
                r = registry.receive(body, name, "bundle-service:" + url);
            } catch (BundleRejectedException e) {
                fail(e.reason(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                fail(NETWORK_ERROR, "cannot store the bundle: " + e.getMessage());
                return;
            }
            lastSuccessfulDownload = Instant.now();
            revision = r.version().revision();
            etag = resp.headers().firstValue("ETag").orElse(null);
            if (r.added() && cfg.activate()) {
                try {
                    registry.activate(name, revision, "bundle-service");
                    lastSuccessfulActivation = Instant.now();
                } catch (RuntimeException e) {
                    fail("activation_failed", e.getMessage());
                    return;
                }
            } else if (registry.active(name).map(v -> v.revision().equals(revision)).orElse(false)) {
                lastSuccessfulActivation = lastSuccessfulActivation == null ? Instant.now() : lastSuccessfulActivation;
            }
            succeeded(r.added() ? "downloaded" : "unchanged");
        }

        void succeeded(String outcome) {
            lastSuccessfulRequest = Instant.now();
            failures = 0;
            code = null;
            message = null;
            count(outcome);
        }

        void fail(String c, String m) {
            failures++;
            code = c;
            message = m;
            count("error");
            LOG.warnf("bundle service: %s: %s (%s; failure %d)", name, LogText.escape(m), c, failures);
        }

        void count(String outcome) {
            Counter.builder("portcullis.bundle.service.polls").description("Polls of the bundle server by outcome")
                    .tag("bundle", name).tag("outcome", outcome).register(meters).increment();
        }
    }

    /** The delay after {@code n} consecutive failures: {@code first * 2^(n-1)}, at most {@code max}. */
    static Duration backoff(Duration first, Duration max, int n) {
        long base = Math.max(1, first.toMillis());
        long cap = Math.max(base, max.toMillis());
        long d = n >= 31 ? cap : Math.min(cap, base << Math.max(0, n - 1));
        return Duration.ofMillis(d);
    }

    private static Duration between(Duration min, Duration max) {
        long lo = Math.max(1, min.toMillis());
        long hi = Math.max(lo, max.toMillis());
        return Duration.ofMillis(lo == hi ? lo : ThreadLocalRandom.current().nextLong(lo, hi + 1));
    }
}
