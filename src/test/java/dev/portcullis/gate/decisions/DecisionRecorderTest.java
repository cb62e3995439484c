package dev.portcullis.gate.decisions;

import static dev.portcullis.gate.decisions.DecisionTestSupport.draft;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DecisionRecorderTest {

    @Inject
    DecisionRecorder recorder;

    @Inject
    DecisionQueries queries;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Test
    void recordThenFind() {
        DecisionDraft d = draft("test/find", true);
        Instant before = Instant.now().minusMillis(1);
        DecisionRecord r = recorder.record(d);
        assertEquals(d.decisionId(), r.decisionId());
        assertTrue(r.seq() > 0);
        assertFalse(r.ts().isBefore(before));
        assertEquals(64, r.hash().length());
        assertEquals(DecisionHash.sha256Hex(d.inputJson()), r.inputSha256());
        assertEquals(DecisionHash.hash(r), r.hash());

        DecisionRecord f = queries.find(d.decisionId()).orElseThrow();
        assertEquals(r, f, "the stored row is exactly the returned record");
        assertEquals(d.inputJson(), f.input());
        assertEquals(d.resultJson(), f.result());
        assertTrue(queries.find(UUID.randomUUID()).isEmpty());

        DecisionRecord next = recorder.record(draft("test/find", false));
        assertEquals(r.seq() + 1, next.seq());
        assertEquals(r.hash(), next.prevHash());
        assertEquals("denied", next.errorCode());
        assertFalse(next.allow());
        assertTrue(queries.verify().ok());
    }

    @Test
    void invalidDraftsAreRejectedBeforeQueueing() {
        assertThrows(IllegalArgumentException.class, () -> recorder.record(new DecisionDraft(null, "c", "p", null, null,
                null, null, null, false, null, 0)));
        assertThrows(IllegalArgumentException.class, () -> recorder.record(new DecisionDraft(UUID.randomUUID(), "c",
                "x".repeat(1025), null, null, null, null, null, false, null, 0)));
        // a duplicate decision id is rejected by the store without breaking the chain
        DecisionDraft d = draft("test/dup", true);
        recorder.record(d);
        assertThrows(AuditUnavailableException.class, () -> recorder.record(d));
        DecisionRecord after = recorder.record(draft("test/dup", true));
        assertTrue(queries.find(after.decisionId()).isPresent());
        assertTrue(queries.verify().ok(), () -> queries.verify().toString());
    }

    @Test
    void concurrentRecordingFrom32Threads() throws Exception {
        int threads = 32;
        int perThread = 50;
        double commitsBefore = registry.get("portcullis.audit.commit").timer().count();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<DecisionRecord>>> futures = new ArrayList<>();
        String policy = "test/concurrent/" + UUID.randomUUID();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    List<DecisionRecord> out = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        out.add(recorder.record(draft(policy, i % 2 == 0)));
                    }
                    return out;
                }));
            }
            List<DecisionRecord> all = new ArrayList<>();
            for (Future<List<DecisionRecord>> f : futures) {
                all.addAll(f.get());
            }
            assertEquals(threads * perThread, all.size());
            Set<Long> seqs = new HashSet<>();
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (DecisionRecord r : all) {
                assertTrue(seqs.add(r.seq()), "duplicate seq " + r.seq());
                min = Math.min(min, r.seq());
                max = Math.max(max, r.seq());
                Optional<DecisionRecord> stored = queries.find(r.decisionId());
                assertEquals(r, stored.orElseThrow());
            }
            assertEquals(all.size() - 1, max - min, "seq contiguous");
            DecisionQueries.VerifyReport v = queries.verify();
            assertTrue(v.ok(), v::toString);
            assertTrue(v.recordsChecked() >= all.size());
            double commits = registry.get("portcullis.audit.commit").timer().count() - commitsBefore;
            assertTrue(commits < all.size(), "group commit should batch: " + commits + " commits");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listFiltersAndCursorPagination() throws Exception {
        String policy = "test/list/" + UUID.randomUUID();
        List<DecisionRecord> rs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rs.add(recorder.record(draft(policy, i != 1 && i != 3)));
            Thread.sleep(2);
        }
        // pages of 2, newest first
        DecisionQueries.Page p1 = queries.list(policy, null, null, null, 2, null);
        assertEquals(List.of(rs.get(4), rs.get(3)), p1.items());
        assertNotNull(p1.nextCursor());
        DecisionQueries.Page p2 = queries.list(policy, null, null, null, 2, p1.nextCursor());
        assertEquals(List.of(rs.get(2), rs.get(1)), p2.items());
        DecisionQueries.Page p3 = queries.list(policy, null, null, null, 2, p2.nextCursor());
        assertEquals(List.of(rs.get(0)), p3.items());
        assertNull(p3.nextCursor());
        // exactly a page: no cursor
        assertNull(queries.list(policy, null, null, null, 5, null).nextCursor());

        assertEquals(List.of(rs.get(3), rs.get(1)), queries.list(policy, false, null, null, 100, null).items());
        assertEquals(List.of(rs.get(4), rs.get(2), rs.get(0)), queries.list(policy, true, null, null, 100, null).items());
        // since inclusive, until exclusive
        assertEquals(List.of(rs.get(3), rs.get(2)),
                queries.list(policy, null, rs.get(2).ts(), rs.get(4).ts(), 100, null).items());
        assertEquals(List.of(rs.get(2)),
                queries.list(policy, true, rs.get(1).ts(), rs.get(3).ts(), 100, null).items());
        assertTrue(queries.list("test/list/none", null, null, null, 10, null).items().isEmpty());
        // limit is clamped to 1..1000
        assertEquals(1, queries.list(policy, null, null, null, 0, null).items().size());
        assertTrue(queries.list(null, null, null, null, 5000, null).items().size() <= DecisionQueries.MAX_LIMIT);
        assertThrows(IllegalArgumentException.class, () -> queries.list(policy, null, null, null, 2, "bm9wZQ"));
    }

    @Test
    void storedRowsCannotBeModifiedAndTamperingIsDetected() throws Exception {
        recorder.record(draft("test/tamper", true));
        DecisionRecord victim = recorder.record(draft("test/tamper", true));
        recorder.record(draft("test/tamper", false));
        assertTrue(queries.verify().ok());

        boolean pg = DecisionTestSupport.isPostgres(dataSource);
        // 1. the append-only trigger rejects UPDATE and DELETE (PostgreSQL: plpgsql trigger; H2: Java trigger)
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            SQLException upd = assertThrows(SQLException.class,
                    () -> st.executeUpdate("UPDATE decision SET allow = FALSE WHERE seq = " + victim.seq()));
            assertTrue(upd.getMessage().contains("append-only"), upd.getMessage());
            SQLException del = assertThrows(SQLException.class,
                    () -> st.executeUpdate("DELETE FROM decision WHERE seq = " + victim.seq()));
            assertTrue(del.getMessage().contains("append-only"), del.getMessage());
            if (pg) {
                SQLException tr = assertThrows(SQLException.class, () -> st.executeUpdate("TRUNCATE decision"));
                assertTrue(tr.getMessage().contains("append-only"), tr.getMessage());
            }
        }
        assertEquals(victim, queries.find(victim.decisionId()).orElseThrow());

        // 2. tamper with the trigger disabled (owner privilege) and verify() must point at the row
        String tampered = "{\"allow\":true,\"tampered\":1}";
        disableTrigger(pg);
        try {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("UPDATE decision SET result = ? WHERE seq = ?")) {
                ps.setString(1, tampered);
                ps.setLong(2, victim.seq());
                assertEquals(1, ps.executeUpdate());
            }
            DecisionQueries.VerifyReport v = queries.verify();
            assertFalse(v.ok());
            assertEquals(victim.seq(), v.brokenSeq());
            assertEquals(victim.decisionId(), v.brokenDecisionId());
            assertEquals("hash", v.reason());
            assertEquals(victim.hash(), v.actual());
            assertEquals(DecisionHash.hash(new DecisionRecord(victim.seq(), victim.decisionId(), victim.ts(),
                    victim.caller(), victim.policy(), victim.bundleName(), victim.bundleRevision(), victim.bundleSha256(),
                    victim.inputSha256(), victim.input(), tampered, victim.allow(), victim.errorCode(),
                    victim.latencyMicros(), victim.prevHash(), null)), v.expected());
            assertEquals(victim.seq() - 1, v.lastSeq());

            // re-hashing the tampered row does not help: the next link breaks
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("UPDATE decision SET hash = ? WHERE seq = ?")) {
                ps.setString(1, v.expected());
                ps.setLong(2, victim.seq());
                ps.executeUpdate();
            }
            DecisionQueries.VerifyReport v2 = queries.verify();
            assertFalse(v2.ok());
            assertEquals(victim.seq() + 1, v2.brokenSeq());
            assertEquals("prev_hash", v2.reason());
        } finally {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("UPDATE decision SET result = ?, hash = ? WHERE seq = ?")) {
                ps.setString(1, victim.result());
                ps.setString(2, victim.hash());
                ps.setLong(3, victim.seq());
                ps.executeUpdate();
            }
            enableTrigger(pg);
        }
        assertTrue(queries.verify().ok(), () -> queries.verify().toString());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            assertThrows(SQLException.class,
                    () -> st.executeUpdate("UPDATE decision SET allow = FALSE WHERE seq = " + victim.seq()));
        }
    }

    private void disableTrigger(boolean pg) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            if (pg) {
                st.execute("ALTER TABLE decision DISABLE TRIGGER decision_append_only_row");
            } else {
                st.execute("DROP TRIGGER decision_append_only_update");
            }
        }
    }

    private void enableTrigger(boolean pg) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            if (pg) {
                st.execute("ALTER TABLE decision ENABLE TRIGGER decision_append_only_row");
            } else {
                st.execute("CREATE TRIGGER decision_append_only_update BEFORE UPDATE ON decision "
                        + "FOR EACH ROW CALL 'dev.portcullis.gate.decisions.H2AppendOnlyTrigger'");
            }
        }
    }

    @Test
    void healthAndMetrics() {
        assertTrue(recorder.healthy());
        recorder.record(draft("test/metrics", true));
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'decision-store' }.status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("portcullis_audit_commit_seconds_bucket"))
                .body(containsString("portcullis_audit_batch_size"))
                .body(containsString("portcullis_audit_queue_depth"));
    }
}
