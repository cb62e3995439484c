package dev.portcullis.gate.decisions;

import static dev.portcullis.gate.decisions.DecisionTestSupport.draft;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two writers on one database — the service's own recorder and a second one standing in for another
 * replica (its own writer thread, queue and tail) — record concurrently. Before the chain lock,
 * each cached its own tail and handed out seqs the other had taken (a duplicate key, i.e. a denied
 * request); now every decision is committed once, seqs are unique and the one global chain verifies.
 */
@QuarkusTest
class SharedChainTest {

    @Inject
    DecisionRecorder recorder;

    @Inject
    DecisionQueries queries;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DecisionsConfig config;

    @Test
    void twoWritersOnOneDatabaseKeepOneChain() throws Exception {
        DecisionRecorder replica = new DecisionRecorder();
        replica.dataSource = dataSource;
        replica.config = config;
        replica.registry = new SimpleMeterRegistry();
        replica.start();
        int threadsPerWriter = 8;
        int perThread = 60;
        String policy = "test/replicas/" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerWriter);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<List<DecisionRecord>>> futures = new ArrayList<>();
            for (DecisionRecorder writer : List.of(recorder, replica)) {
                for (int t = 0; t < threadsPerWriter; t++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        List<DecisionRecord> out = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            out.add(writer.record(draft(policy, i % 3 != 0)));
                        }
                        return out;
                    }));
                }
            }
            go.countDown();
            List<DecisionRecord> all = new ArrayList<>();
            for (Future<List<DecisionRecord>> f : futures) {
                all.addAll(f.get()); // any AuditUnavailableException (duplicate seq) fails here
            }
            assertEquals(2 * threadsPerWriter * perThread, all.size());
            Set<Long> seqs = new HashSet<>();
            for (DecisionRecord r : all) {
                assertTrue(seqs.add(r.seq()), "seq handed out twice: " + r.seq());
                assertEquals(r, queries.find(r.decisionId()).orElseThrow());
            }
            DecisionQueries.VerifyReport v = queries.verify();
            assertTrue(v.ok(), v::toString);
            assertTrue(v.recordsChecked() >= all.size(), v::toString);
            assertTrue(replica.registry.get("portcullis.audit.commit").timer().count() > 0);
        } finally {
            pool.shutdownNow();
            replica.stop();
        }
    }
}
