package dev.portcullis.gate.engine;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts threads whose evaluation runs past its deadline (Chicory stops at the interrupt).
 *
 * <p>Why not a {@code ScheduledExecutorService}: scheduling and cancelling one alarm per evaluation
 * reorders the executor's heap and wakes its thread whenever the new alarm is the earliest, which
 * is nearly always under load; that cost ~3% of the service's CPU. Here arming is one object and one
 * volatile write into the evaluating thread's own slot, and one sweeper thread scans the slots every
 * {@code tick}. The price is precision: an evaluation is stopped between its deadline and one tick
 * later. When nothing has been armed for a while the sweeper parks until the next arming, so an idle
 * service does not wake up a hundred times a second.
 *
 * <p>The guarantee callers rely on: once {@link Watch#disarm()} returns, no interrupt from this
 * class can reach the thread (it would hit unrelated request code).
 */
final class EvaluationDeadlines implements AutoCloseable {

    /** Sweeps without any armed watch before the sweeper parks. */
    private static final int IDLE_SWEEPS_BEFORE_PARKING = 100;

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ThreadLocal<Watch> perThread = ThreadLocal.withInitial(this::register);
    private final long tickNanos;
    private final Thread sweeper;
    private volatile boolean parked;
    private volatile boolean closed;

    EvaluationDeadlines(Duration tick) {
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1), tick.toNanos());
        this.sweeper = new Thread(this::sweepLoop, "portcullis-eval-deadlines");
        sweeper.setDaemon(true);
        sweeper.start();
    }

    /** A tick that keeps the overshoot under a quarter of the time limit, within 1–25 ms. */
    static Duration tickFor(Duration timeLimit) {
        long quarter = timeLimit.toNanos() / 4;
        return Duration.ofNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(25),
                Math.max(TimeUnit.MILLISECONDS.toNanos(1), quarter)));
    }

    /** Starts watching the current thread; it is interrupted once {@code limit} has passed. */
    Watch arm(Duration limit) {
        Watch w = perThread.get();
        w.arm(System.nanoTime() + limit.toNanos());
        if (parked) {
            LockSupport.unpark(sweeper);
        }
        return w;
    }

    private Watch register() {
        Watch w = new Watch(Thread.currentThread());
        watches.add(w);
        return w;
    }

    private void sweepLoop() {
        int idleSweeps = 0;
        while (!closed) {
            if (idleSweeps >= IDLE_SWEEPS_BEFORE_PARKING) {
                parked = true;
                // re-check after publishing "parked": an arming that missed the flag is seen here
                if (!anyArmed()) {
                    LockSupport.park(this);
                }
                parked = false;
                idleSweeps = 0;
            } else {
                LockSupport.parkNanos(this, tickNanos);
            }
            if (closed) {
                return;
            }
            idleSweeps = sweep(System.nanoTime()) ? 0 : idleSweeps + 1;
        }
    }

    /** Fires every expired watch; returns whether any watch was armed. */
    private boolean sweep(long now) {
        boolean anyArmed = false;
        for (Watch w : watches) {
            if (!w.thread.isAlive()) {
                watches.remove(w);
                continue;
            }
            anyArmed |= w.fireIfExpired(now);
        }
        return anyArmed;
    }

    private boolean anyArmed() {
        for (Watch w : watches) {
            if (w.isArmed()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(sweeper);
    }

    /** One thread's slot. Each arming is a fresh {@link Arming} so a stale sweep cannot hit a later one. */
    static final class Watch {
        private static final Arming FIRING = new Arming(0);
        private static final Arming FIRED = new Arming(0);

        private final Thread thread;
        private final AtomicReference<Arming> state = new AtomicReference<>();

        private Watch(Thread thread) {
            this.thread = thread;
        }

        private void arm(long deadline) {
            state.set(new Arming(deadline));
        }

        private boolean isArmed() {
            Arming a = state.get();
            return a != null && a != FIRING && a != FIRED;
        }

        /** Returns whether the watch was armed (fired now or not yet due). */
        private boolean fireIfExpired(long now) {
            Arming a = state.get();
            if (a == null || a == FIRING || a == FIRED) {
                return false;
            }
            if (now - a.deadline >= 0 && state.compareAndSet(a, FIRING)) {
                thread.interrupt();
                state.set(FIRED);
            }
            return true;
        }

        /**
         * Ends the watch; returns whether the deadline fired. Clears the interrupt it may have left,
         * waiting for a sweep that is interrupting the thread right now to finish first.
         */
        boolean disarm() {
            Arming a = state.get();
            if (a != FIRING && a != FIRED && state.compareAndSet(a, null)) {
                return false;
            }
            while (state.get() == FIRING) {
                Thread.onSpinWait();
            }
            state.set(null);
            Thread.interrupted();
            return true;
        }
    }

    private record Arming(long deadline) {}
}
