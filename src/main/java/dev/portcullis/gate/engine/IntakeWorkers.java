package dev.portcullis.gate.engine;

import dev.portcullis.gate.bundles.BundleVersion;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads on which untrusted modules are first instantiated and run. Daemon threads, so one that
 * ignores its interrupt can be abandoned without holding up shutdown; at most {@link #MAX}
 * run at once, so abandoned ones cannot pile up without bound (further intakes are refused).
 */
final class IntakeWorkers {

    static final int MAX = 4;

    private final AtomicInteger ids = new AtomicInteger();
    private final ExecutorService pool = new ThreadPoolExecutor(0, MAX, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "portcullis-intake-" + ids.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    /** Runs {@code task} for {@code bundle} on a worker; throws {@link RejectedExecutionException} when all are busy. */
    <T> Future<T> submit(BundleVersion bundle, Callable<T> task) {
        return pool.submit(() -> {
            Thread t = Thread.currentThread();
            String name = t.getName();
            t.setName(name + " " + bundle.key());
            try {
                return task.call();
            } finally {
                t.setName(name);
            }
        });
    }

    void shutdownNow() {
        pool.shutdownNow();
    }
}
