package dev.portcullis.gate.engine;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.styra.opa.wasm.OpaAbortException;
import com.styra.opa.wasm.OpaPolicy;
import dev.portcullis.gate.bundles.BundleVersion;
import dev.portcullis.gate.json.InvalidJsonException;
import dev.portcullis.gate.json.JsonText;
import dev.portcullis.gate.json.LogText;
import dev.portcullis.gate.json.StrictJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.jboss.logging.Logger;
import dev.portcullis.rego.host.HostBuiltins;

/**
 * Evaluates entrypoints of a {@link BundleVersion} on pooled {@link OpaPolicy} instances.
 *
 * <p>Each bundle version gets its own pool (at most {@code portcullis.engine.pool-size} instances, created lazily;
 * an OpaPolicy is not thread-safe, so an instance is used by one evaluation at a time). The bundle's
 * {@code data.json} is loaded into every instance when it is created; each evaluation resets the Wasm heap to just
 * above the data (opa-java-wasm does this in {@code input()}), so instances are re-usable.
 *
 * <p>{@link #evaluate} never throws for evaluation problems: it returns an {@link Evaluation} carrying an error
 * code. Evaluations run on the caller's thread (no hand-off to another thread on the hot path);
 * {@link EvaluationDeadlines} interrupts the thread once {@code portcullis.engine.timeout} has passed
 * (within a quarter of it), Chicory stops at the interrupt, and the instance is discarded rather than reused.
 *
 * <p>Metrics: gauges {@code portcullis_pool_in_use} and {@code portcullis_pool_size} (tags bundle, revision),
 * timer {@code portcullis_evaluation} (tags bundle, outcome=ok|error; percentiles and histogram) and counter
 * {@code portcullis_evaluation_errors} (tags bundle, code).
 */
@ApplicationScoped
public class PolicyEngine {

    private static final Logger LOG = Logger.getLogger(PolicyEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INITIAL_MEMORY_PAGES = 10;

    private final EngineConfig config;
    private final MeterRegistry meters;
    private final Map<String, PoolHolder> pools = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> errorCounters = new ConcurrentHashMap<>();
    private final EvaluationDeadlines deadlines;
    private final IntakeWorkers intake = new IntakeWorkers();

    private record PoolHolder(InstancePool pool, List<Meter> meters) {}

    @Inject
    public PolicyEngine(EngineConfig config, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
        this.deadlines = new EvaluationDeadlines(EvaluationDeadlines.tickFor(config.timeout()));
    }

    /** Evaluates {@code entrypoint} of {@code bundle} with {@code input} (null means {@code {}}). Never throws. */
    public Evaluation evaluate(BundleVersion bundle, String entrypoint, JsonText input) {
        return evaluate(bundle, entrypoint, input, config.timeout());
    }

    /**
     * As {@link #evaluate(BundleVersion, String, JsonText)} for JSON text that has not been
     * through {@link StrictJson} yet (tools, tests): text the runtime could not read exactly is an
     * {@code invalid_input} error, never evaluated.
     */
    public Evaluation evaluate(BundleVersion bundle, String entrypoint, String inputJson) {
        if (inputJson == null || inputJson.isBlank()) {
            return evaluate(bundle, entrypoint, JsonText.EMPTY_OBJECT);
        }
        JsonText input;
        try {
            input = RUNTIME_JSON.validate(inputJson);
        } catch (InvalidJsonException e) {
            Evaluation err = Evaluation.error(Evaluation.INVALID_INPUT, "input cannot be evaluated: " + e.getMessage(), 0);
            record(bundle, err);
            return err;
        }
        return evaluate(bundle, entrypoint, input);
    }

    /** As {@link #evaluate(BundleVersion, String, JsonText)} with an explicit evaluation time limit. */
    public Evaluation evaluate(BundleVersion bundle, String entrypoint, JsonText input, Duration timeout) {
        return evaluate(bundle, entrypoint, input, timeout, Long.MAX_VALUE);
    }

    private Evaluation evaluate(BundleVersion bundle, String entrypoint, JsonText input, Duration timeout,
            long acquireDeadline) {
        long start = System.nanoTime();
        Evaluation result;
        try {
            result = doEvaluate(bundle, entrypoint, input == null ? JsonText.EMPTY_OBJECT : input, timeout, start,
                    acquireDeadline);
        } catch (RuntimeException | Error e) {
            // defensive: nothing above should throw, but the contract is "never throws"
            LOG.errorf(e, "unexpected failure evaluating %s", entrypoint);
            result = Evaluation.error(Evaluation.EVALUATION_ERROR, "internal error: " + e, System.nanoTime() - start);
        }
        record(bundle, result);
        return result;
    }

    private Evaluation doEvaluate(BundleVersion bundle, String entrypoint, JsonText inputJson, Duration timeout,
            long start, long acquireDeadline) {
        if (bundle == null) {
            return Evaluation.error(Evaluation.UNKNOWN_POLICY, "no active bundle serves " + entrypoint, elapsed(start));
        }
        if (entrypoint == null || !bundle.entrypoints().contains(entrypoint)) {
            return Evaluation.error(Evaluation.UNKNOWN_POLICY, "bundle " + bundle.name() + "@" + bundle.revision()
                    + " has no entrypoint " + entrypoint, elapsed(start));
        }
        String input = inputJson.toString();
        InstancePool pool = pool(bundle);
        InstancePool.Instance instance;
        try {
            instance = pool.borrow(Math.max(0, Math.min(config.acquireTimeout().toNanos(),
                    acquireDeadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Evaluation.error(Evaluation.BUSY, "interrupted while waiting for an instance", elapsed(start));
        } catch (ChicoryInterruptedException e) {
            // instantiation (the module's start function) was stopped by an intake deadline
            return Evaluation.error(Evaluation.TIMEOUT, "instantiation was interrupted at its time limit",
                    elapsed(start));
        } catch (RuntimeException | Error e) {
            LOG.warnf("cannot instantiate %s: %s", bundle.key(), LogText.escape(describe(e)));
            return Evaluation.error(Evaluation.INSTANTIATION_ERROR, describe(e), elapsed(start));
        }
        if (instance == null) {
            return Evaluation.error(Evaluation.BUSY, "no policy instance free within " + config.acquireTimeout(),
                    elapsed(start));
        }
        Integer id = instance.entrypoints.get(entrypoint);
        if (id == null) {
            pool.release(instance);
            return Evaluation.error(Evaluation.UNKNOWN_POLICY, "policy.wasm of " + bundle.name() + "@"
                    + bundle.revision() + " does not export entrypoint " + entrypoint, elapsed(start));
        }
        String resultSet;
        EvaluationDeadlines.Watch watch = deadlines.arm(timeout);
        try {
            resultSet = instance.policy.entrypoint(id).evaluate(input);
        } catch (RuntimeException | Error e) {
            boolean timedOut = watch.disarm();
            pool.discard(instance);
            if (timedOut || e instanceof ChicoryInterruptedException) {
                return Evaluation.error(Evaluation.TIMEOUT, "evaluation exceeded " + timeout.toMillis() + " ms",
                        elapsed(start));
            }
            return Evaluation.error(classify(e), describe(e), elapsed(start));
        }
        if (watch.disarm()) {
            // the deadline fired just as the evaluation finished: the answer came too late to count
            pool.discard(instance);
            return Evaluation.error(Evaluation.TIMEOUT, "evaluation exceeded " + timeout.toMillis() + " ms",
                    elapsed(start));
        }
        pool.release(instance);
        JsonNode value;
        try {
            JsonNode rs = JSON.readTree(resultSet);
            JsonNode first = rs.isArray() && rs.size() > 0 ? rs.get(0) : null;
            value = first == null ? null : first.get("result");
        } catch (JsonProcessingException e) {
            return Evaluation.error(Evaluation.EVALUATION_ERROR, "policy returned malformed JSON: "
                    + e.getOriginalMessage(), elapsed(start));
        }
        return new Evaluation(resultSet, value, null, null, elapsed(start));
    }

    /**
     * Nesting the Wasm runtime's parser accepts (its limit is 1000); deeper text would read as
     * "undefined" there, so it is refused before it reaches the runtime.
     */
    static final int MAX_INPUT_DEPTH = 900;

    /** What the runtime reads exactly: checks text that did not come through the request parser. */
    private static final StrictJson RUNTIME_JSON = new StrictJson(MAX_INPUT_DEPTH);

    static String classify(Throwable t) {
        if (t instanceof ChicoryInterruptedException) {
            return Evaluation.TIMEOUT;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase();
            if (m.contains("out of memory") || m.contains("memory limit") || m.contains("maximum memory")) {
                return Evaluation.MEMORY_LIMIT;
            }
        }
        if (t instanceof OutOfMemoryError) {
            return Evaluation.MEMORY_LIMIT;
        }
        return Evaluation.EVALUATION_ERROR;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        String s = t instanceof OpaAbortException ? "" : t.getClass().getSimpleName() + ": ";
        return s + (m == null ? "" : m);
    }

    private static long elapsed(long start) {
        return System.nanoTime() - start;
    }

    /**
     * Evaluates every entrypoint once with input {@code {}}; instantiation failures (including a
     * start function that traps) and aborts fail the smoke test, undefined results do not. The
     * instance created stays in the pool (warm-up).
     *
     * <p>This is where an untrusted module first runs, so it runs under a budget: on an intake
     * worker thread, with the instance memory cap, and within {@code smoke-timeout} for
     * instantiation (start function and data loading included) and all evaluations together.
     * When the budget runs out the worker is interrupted (Chicory stops at the interrupt) and, if
     * it does not stop, abandoned; the caller returns at the deadline either way.
     */
    public SmokeResult smokeTest(BundleVersion bundle) {
        long start = System.nanoTime();
        Duration budget = config.smokeTimeout();
        Future<SmokeResult> f;
        try {
            f = intake.submit(bundle, () -> smoke(bundle, start + budget.toNanos()));
        } catch (RejectedExecutionException e) {
            return SmokeResult.failed(bundle.entrypoints(), Evaluation.error(Evaluation.BUSY,
                    "too many bundle intakes still running", elapsed(start)), elapsed(start));
        }
        try {
            return f.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            evict(bundle);
            LOG.warnf("bundle %s: instantiation and smoke evaluation exceeded %d ms; abandoned", bundle.key(),
                    budget.toMillis());
            return SmokeResult.failed(bundle.entrypoints(), Evaluation.error(Evaluation.TIMEOUT,
                    "instantiation and smoke evaluation exceeded " + budget.toMillis() + " ms", elapsed(start)),
                    elapsed(start));
        } catch (InterruptedException e) {
            f.cancel(true);
            evict(bundle);
            Thread.currentThread().interrupt();
            return SmokeResult.failed(bundle.entrypoints(), Evaluation.error(Evaluation.BUSY,
                    "interrupted during the smoke evaluation", elapsed(start)), elapsed(start));
        } catch (ExecutionException e) {
            evict(bundle);
            return SmokeResult.failed(bundle.entrypoints(), Evaluation.error(Evaluation.INSTANTIATION_ERROR,
                    describe(e.getCause()), elapsed(start)), elapsed(start));
        }
    }

    private SmokeResult smoke(BundleVersion bundle, long deadline) {
        long start = System.nanoTime();
        Map<String, Evaluation> failures = new LinkedHashMap<>();
        for (String ep : bundle.entrypoints()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                // the caller has given up already; stop spending CPU on this bundle
                failures.put(ep, Evaluation.error(Evaluation.TIMEOUT, "smoke budget exhausted", elapsed(start)));
                break;
            }
            Evaluation e = evaluate(bundle, ep, JsonText.EMPTY_OBJECT, Duration.ofNanos(left), deadline);
            if (!e.ok()) {
                failures.put(ep, e);
                if (Evaluation.INSTANTIATION_ERROR.equals(e.errorCode()) || Evaluation.TIMEOUT.equals(e.errorCode())) {
                    break;
                }
            }
        }
        return new SmokeResult(failures.isEmpty(), failures, System.nanoTime() - start);
    }

    /**
     * Makes sure the pool of {@code bundle} has an idle instance before it is activated, so the
     * first decision does not pay for instantiation. Runs under the same budget as the smoke test
     * (best effort; never throws).
     */
    public void warm(BundleVersion bundle) {
        if (bundle.entrypoints().isEmpty() || poolStats(bundle).size() > 0) {
            return;
        }
        Duration budget = config.smokeTimeout();
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            Future<Evaluation> f = intake.submit(bundle, () -> evaluate(bundle, bundle.entrypoints().get(0),
                    JsonText.EMPTY_OBJECT, budget, deadline));
            f.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException | RejectedExecutionException e) {
            LOG.warnf("bundle %s: warm-up did not finish: %s", bundle.key(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Wasm linear memory one instance may use; a bundle's data must fit in it to load at all. */
    public long memoryCapBytes() {
        return Math.max(1, config.maxMemoryPages()) * 65536L;
    }

    public PoolStats poolStats(BundleVersion bundle) {
        PoolHolder h = pools.get(bundle.key());
        return h == null ? PoolStats.EMPTY : h.pool().stats();
    }

    /** Closes the pool of {@code bundle} (borrowed instances are dropped when returned). */
    public void evict(BundleVersion bundle) {
        PoolHolder h = pools.remove(bundle.key());
        if (h != null) {
            close(h);
        }
    }

    /** Closes every pool except those of {@code keep}. */
    public void retain(Collection<BundleVersion> keep) {
        Set<String> keys = new HashSet<>();
        for (BundleVersion b : keep) {
            if (b != null) {
                keys.add(b.key());
            }
        }
        for (String k : new ArrayList<>(pools.keySet())) {
            if (!keys.contains(k)) {
                PoolHolder h = pools.remove(k);
                if (h != null) {
                    close(h);
                }
            }
        }
    }

    private void close(PoolHolder h) {
        h.pool().close();
        for (Meter m : h.meters()) {
            meters.remove(m);
        }
    }

    private InstancePool pool(BundleVersion bundle) {
        PoolHolder h = pools.computeIfAbsent(bundle.key(), k -> {
            String data = loadableData(bundle);
            InstancePool p = new InstancePool(() -> newInstance(bundle, data), config.effectivePoolSize());
            Tags tags = Tags.of("bundle", bundle.name(), "revision", bundle.revision());
            List<Meter> ms = List.of(
                    Gauge.builder("portcullis_pool_in_use", p, InstancePool::inUse).tags(tags)
                            .description("Policy instances currently evaluating").register(meters),
                    Gauge.builder("portcullis_pool_size", p, InstancePool::size).tags(tags)
                            .description("Live policy instances (idle + in use)").register(meters));
            return new PoolHolder(p, ms);
        });
        return h.pool();
    }

    /**
     * The bundle's data as text the runtime reads exactly, checked once per bundle version. Data
     * the runtime could not parse would silently load as empty data (an empty quarantine list...),
     * so such a bundle fails every instantiation instead.
     */
    private static String loadableData(BundleVersion bundle) {
        byte[] data = bundle.bundle().dataJson();
        try {
            return RUNTIME_JSON.validate(data).toString();
        } catch (InvalidJsonException e) {
            return null;
        }
    }

    private InstancePool.Instance newInstance(BundleVersion bundle, String data) {
        if (data == null) {
            String why;
            try {
                RUNTIME_JSON.validate(bundle.bundle().dataJson());
                why = "unknown";
            } catch (InvalidJsonException e) {
                why = e.getMessage();
            }
            throw new IllegalStateException("bundle data cannot be loaded into the Wasm runtime: " + why);
        }
        int max = Math.max(1, config.maxMemoryPages());
        OpaPolicy policy = OpaPolicy.builder()
                .withPolicy(bundle.wasm())
                .withInitialMemory(Math.min(INITIAL_MEMORY_PAGES, max))
                .withMaxMemory(max)
                .addBuiltins(HostBuiltins.all())
                .build();
        policy.data(data);
        return new InstancePool.Instance(policy, policy.entrypoints());
    }

    private void record(BundleVersion bundle, Evaluation e) {
        String name = bundle == null ? "none" : bundle.name();
        String outcome = e.ok() ? "ok" : "error";
        timers.computeIfAbsent(name + "\0" + outcome, k -> Timer.builder("portcullis_evaluation")
                .description("Policy evaluation latency")
                .tags("bundle", name, "outcome", outcome)
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(meters)).record(e.nanos(), TimeUnit.NANOSECONDS);
        if (!e.ok()) {
            errorCounters.computeIfAbsent(name + "\0" + e.errorCode(), k -> Counter.builder("portcullis_evaluation_errors")
                    .description("Failed policy evaluations by error code")
                    .tags("bundle", name, "code", e.errorCode())
                    .register(meters)).increment();
        }
    }

    @PreDestroy
    void shutdown() {
        deadlines.close();
        intake.shutdownNow();
        for (String k : new ArrayList<>(pools.keySet())) {
            PoolHolder h = pools.remove(k);
            if (h != null) {
                close(h);
            }
        }
    }

    /** For tests and tools running without CDI. */
    public void close() {
        shutdown();
    }
}
