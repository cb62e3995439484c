package dev.portcullis.gate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EvaluationDeadlinesTest {

    @Test
    void aWatchDisarmedInTimeNeverInterrupts() throws Exception {
        try (EvaluationDeadlines d = new EvaluationDeadlines(Duration.ofMillis(1))) {
            EvaluationDeadlines.Watch w = d.arm(Duration.ofSeconds(5));
            Thread.sleep(20); // several sweeps pass while armed
            assertFalse(w.disarm());
            Thread.sleep(20);
            assertFalse(Thread.interrupted());
        }
    }

    @Test
    void aWatchPastItsDeadlineInterruptsAndDisarmClearsTheInterrupt() {
        try (EvaluationDeadlines d = new EvaluationDeadlines(Duration.ofMillis(2))) {
            long start = System.nanoTime();
            EvaluationDeadlines.Watch w = d.arm(Duration.ofMillis(20));
            try {
                Thread.sleep(10_000);
                fail("the deadline did not interrupt the sleeping thread");
            } catch (InterruptedException expected) {
                // the interrupt is what stops Chicory
            }
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waitedMs >= 20, "fired early: " + waitedMs + " ms");
            assertTrue(w.disarm());
            assertFalse(Thread.interrupted(), "disarm must leave no interrupt behind");
        }
    }

    @Test
    void aParkedSweeperWakesForTheNextArming() throws Exception {
        try (EvaluationDeadlines d = new EvaluationDeadlines(Duration.ofMillis(1))) {
            Thread.sleep(400); // well over the idle sweeps after which the sweeper parks
            EvaluationDeadlines.Watch w = d.arm(Duration.ofMillis(10));
            boolean interrupted = false;
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            assertTrue(interrupted, "a parked sweeper missed the deadline");
            assertTrue(w.disarm());
            assertFalse(Thread.interrupted());
        }
    }

    @Test
    void racingDeadlinesNeverLeakAnInterruptPastDisarm() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (EvaluationDeadlines d = new EvaluationDeadlines(Duration.ofMillis(1))) {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(threads.submit(() -> {
                    int fired = 0;
                    int leaked = 0;
                    for (int i = 0; i < 1_000; i++) {
                        EvaluationDeadlines.Watch w = d.arm(Duration.ofNanos(200_000 + (i % 7) * 150_000L));
                        long until = System.nanoTime() + (i % 5) * 300_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        if (w.disarm()) {
                            fired++;
                        }
                        if (Thread.interrupted()) {
                            leaked++;
                        }
                    }
                    return new int[] {fired, leaked};
                }));
            }
            int fired = 0;
            for (Future<int[]> f : results) {
                int[] r = f.get(60, TimeUnit.SECONDS);
                fired += r[0];
                assertEquals(0, r[1], "an interrupt outlived its evaluation");
            }
            assertTrue(fired > 0, "the race never produced a fired deadline, so it proved nothing");
        } finally {
            threads.shutdownNow();
        }
    }
}
