package dev.portcullis.gate.engine;

import com.styra.opa.wasm.OpaPolicy;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A bounded pool of {@link OpaPolicy} instances for one bundle version. Instances are created lazily up to
 * {@code max}; a permit is held while an instance is borrowed. An instance that failed or timed out is
 * {@link #discard discarded} (its permit is returned so a fresh one can be created), never re-used.
 */
final class InstancePool {

    /** One OpaPolicy with its entrypoint ids (read once at creation). */
    static final class Instance {
        final OpaPolicy policy;
        final Map<String, Integer> entrypoints;

        Instance(OpaPolicy policy, Map<String, Integer> entrypoints) {
            this.policy = policy;
            this.entrypoints = Map.copyOf(entrypoints);
        }
    }

    private final Supplier<Instance> factory;
    private final int max;
    private final Semaphore permits;
    private final Deque<Instance> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private volatile boolean closed;

    InstancePool(Supplier<Instance> factory, int max) {
        this.factory = factory;
        this.max = max;
        this.permits = new Semaphore(max, true);
    }

    /**
     * Borrows an instance, waiting up to {@code timeoutNanos} for a permit; returns null on timeout.
     * Creating an instance may throw (the permit is then returned).
     */
    Instance borrow(long timeoutNanos) throws InterruptedException {
        if (!permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
            return null;
        }
        Instance i = idle.pollFirst();
        if (i == null) {
            try {
                i = factory.get();
            } catch (RuntimeException | Error e) {
                permits.release();
                throw e;
            }
            size.incrementAndGet();
            created.incrementAndGet();
        }
        inUse.incrementAndGet();
        return i;
    }

    void release(Instance i) {
        inUse.decrementAndGet();
        if (closed) {
            size.decrementAndGet();
        } else {
            idle.addFirst(i); // LIFO: keep the warmest instance busy
        }
        permits.release();
    }

    void discard(Instance i) {
        inUse.decrementAndGet();
        size.decrementAndGet();
        discarded.incrementAndGet();
        permits.release();
    }

    void close() {
        closed = true;
        Instance i;
        while ((i = idle.pollFirst()) != null) {
            size.decrementAndGet();
        }
    }

    boolean closed() {
        return closed;
    }

    int size() {
        return size.get();
    }

    int inUse() {
        return inUse.get();
    }

    PoolStats stats() {
        return new PoolStats(size.get(), inUse.get(), max, created.get(), discarded.get());
    }
}
