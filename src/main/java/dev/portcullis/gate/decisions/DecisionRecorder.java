package dev.portcullis.gate.decisions;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Durable, append-only, hash-chained decision record with group commit.
 *
 * <p>{@link #record(DecisionDraft)} enqueues the draft on a bounded queue and blocks until a single
 * writer thread has committed it. The writer drains up to {@code portcullis.decisions.max-batch}
 * drafts, assigns {@code seq = tail.seq + 1 ...} and chains their hashes (see {@link DecisionHash}),
 * writes them as one JDBC batch in one transaction and completes every caller's future only after
 * the commit returned. One writer per instance; instances sharing a database form one global chain:
 * each transaction takes the row lock of {@code decision_chain_lock} and reads the tail under it,
 * so group commits of all instances are serialised and the chain stays linear. The database
 * additionally enforces {@code PRIMARY KEY (seq)} and {@code UNIQUE (prev_hash)}, so even a writer
 * that skipped the lock could not fork it (its batch would fail and it would re-read the tail).
 *
 * <p><b>Failure handling.</b> If a batch fails, its commit outcome is unknown (the tail is
 * re-read under the chain lock by every transaction, so nothing is cached across batches). If the database is unreachable, every draft of the batch fails with
 * {@link AuditUnavailableException}, the store is marked DOWN (later calls fail immediately, the
 * readiness check "decision-store" is DOWN) and the writer probes the database every
 * {@code probe-interval}; when it answers, the writer re-reads the tail (seq, hash) from the table
 * and continues the chain from there. If the database is reachable, the writer re-reads the tail,
 * completes the drafts whose rows turn out to be committed, and retries the rest one per
 * transaction, failing only drafts that the database rejects. A caller never waits longer than
 * {@code commit-timeout}; a full queue fails immediately.
 *
 * <p><b>Append-only.</b> This class (and the whole Java API of this package) only ever INSERTs.
 * On PostgreSQL a trigger rejects UPDATE/DELETE/TRUNCATE; on H2 a Java trigger
 * ({@link H2AppendOnlyTrigger}) rejects UPDATE/DELETE. Tampering that bypasses them is detected by
 * {@link DecisionQueries#verify()}.
 *
 * <p>Note: a caller whose wait timed out gets {@link AuditUnavailableException} (and must deny),
 * but its draft may still be committed if it was already in flight — a row may exist for a denied
 * request, never the other way round.
 */
@Startup
@ApplicationScoped
public class DecisionRecorder {

    private static final Logger LOG = Logger.getLogger(DecisionRecorder.class);

    enum State { STARTING, UP, DOWN, STOPPED }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DecisionsConfig config;

    @Inject
    MeterRegistry registry;

    private BlockingQueue<Pending> queue;
    private Thread writer;
    private volatile boolean running;
    private volatile State state = State.STARTING;
    private volatile String lastError;

    // Owned by the writer thread.
    private long tailSeq;
    private String tailHash;

    private Timer commitTimer;
    private DistributionSummary batchSize;
    private Timer lockWait;

    private static final class Pending {
        final DecisionDraft draft;
        final Instant ts;
        final String inputSha256;
        final String input;
        final CompletableFuture<DecisionRecord> future = new CompletableFuture<>();

        Pending(DecisionDraft draft, Instant ts, String inputSha256, String input) {
            this.draft = draft;
            this.ts = ts;
            this.inputSha256 = inputSha256;
            this.input = input;
        }

        DecisionRecord toRecord(long seq, String prevHash) {
            DecisionDraft d = draft;
            String id = d.decisionId().toString();
            String hash = DecisionHash.hash(seq, id, ts, d.caller(), d.policy(), d.bundleName(), d.bundleRevision(),
                    d.bundleSha256(), inputSha256, d.resultJson(), d.allow(), d.errorCode(), d.latencyMicros(), prevHash);
            return new DecisionRecord(seq, d.decisionId(), ts, d.caller(), d.policy(), d.bundleName(), d.bundleRevision(),
                    d.bundleSha256(), inputSha256, input, d.resultJson(), d.allow(), d.errorCode(), d.latencyMicros(),
                    prevHash, hash);
        }
    }

    @PostConstruct
    void start() {
        queue = new ArrayBlockingQueue<>(Math.max(1, config.queueCapacity()));
        commitTimer = Timer.builder("portcullis.audit.commit")
                .description("Latency of one decision-record group commit (JDBC batch + commit)")
                .publishPercentileHistogram()
                .register(registry);
        batchSize = DistributionSummary.builder("portcullis.audit.batch.size")
                .description("Decisions written per group commit")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue((double) Math.max(1, config.maxBatch()))
                .register(registry);
        lockWait = Timer.builder("portcullis.audit.chain.lock.wait")
                .description("Time a group commit waited for the chain lock (shared by all instances on the database)")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("portcullis.audit.queue.depth", this, r -> r.queue.size())
                .description("Decisions waiting for the audit writer")
                .register(registry);
        Gauge.builder("portcullis.audit.store.up", this, r -> r.state == State.DOWN ? 0 : 1)
                .description("1 unless the audit writer considers the decision store down")
                .register(registry);
        running = true;
        writer = new Thread(this::runWriter, "portcullis-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        Thread w = writer;
        if (w != null) {
            // no interrupt first: interrupting JDBC I/O (notably embedded H2) can close the database
            try {
                w.join(config.commitTimeout().toMillis() + 2000);
                if (w.isAlive()) {
                    w.interrupt();
                    w.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = State.STOPPED;
        failAllQueued("decision recorder stopped", null);
    }

    /**
     * Records a decision and blocks until its row is durably committed.
     *
     * @return the committed record (seq, ts, input digest, prev_hash, hash)
     * @throws AuditUnavailableException if it could not be committed within {@code commit-timeout}
     *         (database down or unwritable, queue full, recorder stopped) — the caller must deny
     * @throws IllegalArgumentException if the draft is invalid (missing id/caller/policy, field too long)
     */
    public DecisionRecord record(DecisionDraft draft) {
        validate(draft);
        State s = state;
        if (!running || s == State.STOPPED) {
            throw fail("stopped", new AuditUnavailableException("decision recorder is stopped"));
        }
        if (s == State.DOWN) {
            throw fail("unavailable", new AuditUnavailableException("decision store unavailable: " + lastError));
        }
        String input = draft.inputJson();
        Pending p = new Pending(draft, DecisionHash.truncate(Instant.now()), DecisionHash.sha256Hex(input),
                config.storeInput() ? input : null);
        if (!queue.offer(p)) {
            throw fail("queue_full", new AuditUnavailableException("decision record queue is full"));
        }
        try {
            return p.future.get(config.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            AuditUnavailableException ex = new AuditUnavailableException(
                    "decision not committed within " + config.commitTimeout());
            if (p.future.completeExceptionally(ex)) {
                throw fail("timeout", ex);
            }
            return awaitDone(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            AuditUnavailableException ex = new AuditUnavailableException("interrupted while recording decision");
            if (p.future.completeExceptionally(ex)) {
                throw ex;
            }
            return awaitDone(p);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static DecisionRecord awaitDone(Pending p) {
        try {
            return p.future.getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof AuditUnavailableException) {
                throw (AuditUnavailableException) c;
            }
            throw new AuditUnavailableException("decision not recorded", c);
        }
    }

    private static AuditUnavailableException unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof AuditUnavailableException) {
            return (AuditUnavailableException) c;
        }
        return new AuditUnavailableException("decision not recorded: " + c, c);
    }

    private AuditUnavailableException fail(String reason, AuditUnavailableException e) {
        failures(reason).increment();
        return e;
    }

    private Counter failures(String reason) {
        return Counter.builder("portcullis.audit.failures")
                .description("Decisions that could not be recorded")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * True when the decision store is usable: the writer does not consider it down and a
     * {@code Connection.isValid} probe with {@code health-timeout} succeeds.
     */
    public boolean healthy() {
        State s = state;
        return s != State.DOWN && s != State.STOPPED && ping();
    }

    /** Last error seen by the writer or the probe (null when none since recovery). */
    public String lastError() {
        return lastError;
    }

    /** Drafts waiting for the writer. */
    public int queueDepth() {
        return queue.size();
    }

    boolean ping() {
        int secs = timeoutSeconds(config.healthTimeout().toMillis());
        try (Connection c = dataSource.getConnection()) {
            boolean ok = c.isValid(secs);
            if (!ok) {
                lastError = "connection not valid";
            }
            return ok;
        } catch (SQLException | RuntimeException e) {
            lastError = e.toString();
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writer thread

    private void runWriter() {
        int max = Math.max(1, config.maxBatch());
        List<Pending> batch = new ArrayList<>(max);
        long probeMs = Math.max(10, config.probeInterval().toMillis());
        long nextProbe = 0;
        while (running || !queue.isEmpty()) {
            try {
                if (state != State.UP) {
                    long now = System.currentTimeMillis();
                    if (now >= nextProbe) {
                        if (tryRecover()) {
                            continue;
                        }
                        nextProbe = now + probeMs;
                    }
                    if (!running) {
                        failAllQueued("decision store unavailable: " + lastError, null);
                        break;
                    }
                    // circuit open: fail fast, the probe decides when to resume
                    Pending p = queue.poll(Math.max(1, nextProbe - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                    if (p != null) {
                        failPending(p, "unavailable", new AuditUnavailableException("decision store unavailable: " + lastError));
                        failAllQueued("decision store unavailable: " + lastError, null);
                    }
                    continue;
                }
                Pending first = running ? queue.poll(250, TimeUnit.MILLISECONDS) : queue.poll();
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, max - 1);
                batch.removeIf(p -> p.future.isDone()); // caller already timed out
                if (!batch.isEmpty()) {
                    writeBatch(batch);
                }
                batch.clear();
            } catch (InterruptedException e) {
                // stop() interrupts; the loop condition decides whether to drain the rest
            } catch (Throwable t) {
                LOG.error("decision writer failure", t);
                lastError = t.toString();
                markDown();
                for (Pending p : batch) {
                    failPending(p, "unavailable", new AuditUnavailableException("decision writer failure: " + t, t));
                }
                batch.clear();
            }
        }
    }

    private boolean tryRecover() {
        try (Connection c = dataSource.getConnection()) {
            readTail(c);
            if (state != State.UP) {
                LOG.infof("decision store available; chain tail seq=%d", tailSeq);
            }
            lastError = null;
            state = State.UP;
            return true;
        } catch (SQLException | RuntimeException e) {
            lastError = e.toString();
            if (state != State.DOWN) {
                LOG.warnf("decision store unavailable: %s", e.toString());
                markDown();
            }
            return false;
        }
    }

    private void readTail(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DecisionRows.TAIL)) {
            ps.setQueryTimeout(timeoutSeconds(config.healthTimeout().toMillis()));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    tailSeq = rs.getLong(1);
                    tailHash = rs.getString(2);
                } else {
                    tailSeq = 0;
                    tailHash = DecisionHash.GENESIS;
                }
            }
        }
    }

    private void markDown() {
        state = State.DOWN;
        try {
            // every pooled connection is suspect now; idle ones go immediately, busy ones on return
            dataSource.flush(AgroalDataSource.FlushMode.GRACEFUL);
        } catch (RuntimeException e) {
            LOG.debug("pool flush failed", e);
        }
    }

    private void writeBatch(List<Pending> batch) {
        long t0 = System.nanoTime();
        List<DecisionRecord> records;
        try (Connection c = dataSource.getConnection()) {
            records = insert(c, batch);
        } catch (SQLException | RuntimeException e) {
            recoverBatch(batch, e);
            return;
        }
        commitTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        batchSize.record(batch.size());
        advance(records);
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).future.complete(records.get(i));
        }
    }

    /**
     * Chains, inserts and commits {@code ps} in one transaction on {@code c}. The transaction first
     * takes the chain lock and reads the tail under it, so writers of other instances on the same
     * database append after each other instead of racing for the same seq.
     */
    private List<DecisionRecord> insert(Connection c, List<Pending> ps) throws SQLException {
        List<DecisionRecord> records = new ArrayList<>(ps.size());
        int netTimeout = -1;
        Executor direct = Runnable::run;
        try {
            netTimeout = c.getNetworkTimeout();
            c.setNetworkTimeout(direct, (int) Math.max(1000, config.commitTimeout().toMillis() * 2));
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            netTimeout = -1; // not supported by the driver
        }
        boolean autoCommit = c.getAutoCommit();
        try {
            c.setAutoCommit(false);
            lockChain(c);
            readTail(c);
            long seq = tailSeq;
            String prev = tailHash;
            for (Pending p : ps) {
                DecisionRecord r = p.toRecord(++seq, prev);
                records.add(r);
                prev = r.hash();
            }
            try (PreparedStatement st = c.prepareStatement(DecisionRows.INSERT)) {
                st.setQueryTimeout(timeoutSeconds(config.commitTimeout().toMillis()));
                for (DecisionRecord r : records) {
                    DecisionRows.bind(st, r);
                    st.addBatch();
                }
                st.executeBatch();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException | RuntimeException ignored) {
                // outcome unknown; the caller re-reads the tail
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(autoCommit);
                if (netTimeout >= 0) {
                    c.setNetworkTimeout(direct, netTimeout);
                }
            } catch (SQLException | RuntimeException ignored) {
                // connection is broken; the pool deals with it
            }
        }
        return records;
    }

    /**
     * Takes the global chain lock for the current transaction (released by its commit or rollback).
     * Held only from reading the tail to the commit: the cost of one chain for N instances is that
     * their group commits are serialised, not that they wait for each other's evaluations.
     */
    private void lockChain(Connection c) throws SQLException {
        long t0 = System.nanoTime();
        try (PreparedStatement st = c.prepareStatement(DecisionRows.LOCK_CHAIN)) {
            st.setQueryTimeout(timeoutSeconds(config.commitTimeout().toMillis()));
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("decision_chain_lock has no row; refusing to write without the chain lock");
                }
            }
        }
        lockWait.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }

    private void advance(List<DecisionRecord> records) {
        DecisionRecord last = records.get(records.size() - 1);
        tailSeq = last.seq();
        tailHash = last.hash();
    }

    /**
     * A batch failed; its outcome is unknown. Never guess the tail: re-read it. If the database is
     * unreachable, fail the batch and go DOWN; otherwise complete what was committed and retry the
     * rest one by one.
     */
    private void recoverBatch(List<Pending> batch, Exception cause) {
        LOG.debugf(cause, "decision batch of %d failed", batch.size());
        List<Pending> rest = new ArrayList<>(batch);
        for (int attempt = 0; attempt < 3 && !rest.isEmpty(); attempt++) {
            try (Connection c = dataSource.getConnection()) {
                readTail(c);
                completeCommitted(c, rest);
                while (!rest.isEmpty()) {
                    Pending p = rest.get(0);
                    if (p.future.isDone()) {
                        rest.remove(0);
                        continue;
                    }
                    List<Pending> one = List.of(p);
                    try {
                        long t0 = System.nanoTime();
                        List<DecisionRecord> r = insert(c, one);
                        commitTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                        batchSize.record(1);
                        advance(r);
                        p.future.complete(r.get(0));
                        rest.remove(0);
                    } catch (SQLException e) {
                        if (!c.isValid(timeoutSeconds(config.healthTimeout().toMillis()))) {
                            throw e; // connection lost: outer handler
                        }
                        readTail(c);
                        if (completeCommitted(c, one) > 0) {
                            rest.remove(0);
                            continue;
                        }
                        if (isChainConflict(e) && attempt < 2) {
                            throw e; // another writer appended: retry with the fresh tail
                        }
                        LOG.warnf("decision %s rejected by the store: %s", p.draft.decisionId(), e.toString());
                        failPending(p, "rejected", new AuditUnavailableException(
                                "decision rejected by the decision store: " + e.getMessage(), e));
                        rest.remove(0);
                    }
                }
                lastError = null;
                return;
            } catch (SQLException | RuntimeException e) {
                cause = e;
                if (!ping()) {
                    break;
                }
            }
        }
        if (!rest.isEmpty()) {
            lastError = String.valueOf(cause);
            LOG.warnf("decision store unavailable, %d decision(s) not recorded: %s", rest.size(), lastError);
            markDown();
            for (Pending p : rest) {
                failPending(p, "unavailable", new AuditUnavailableException("decision store unavailable: " + cause, cause));
            }
        }
    }

    private static boolean isChainConflict(SQLException e) {
        String s = e.getSQLState();
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return s != null && s.startsWith("23")
                && (m.contains("decision_pk") || m.contains("prev_hash") || m.contains("primary key"));
    }

    /** Completes the futures of drafts whose rows already exist (commit outcome was unknown). */
    private int completeCommitted(Connection c, List<Pending> ps) throws SQLException {
        if (ps.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("SELECT " + DecisionRows.COLUMNS + " FROM decision WHERE decision_id IN (");
        for (int i = 0; i < ps.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        Map<String, DecisionRecord> found = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(sql.toString())) {
            st.setQueryTimeout(timeoutSeconds(config.healthTimeout().toMillis()));
            for (int i = 0; i < ps.size(); i++) {
                st.setString(i + 1, ps.get(i).draft.decisionId().toString());
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    DecisionRecord r = DecisionRows.map(rs);
                    found.put(r.decisionId().toString(), r);
                }
            }
        }
        int n = 0;
        for (var it = ps.iterator(); it.hasNext();) {
            Pending p = it.next();
            DecisionRecord r = found.get(p.draft.decisionId().toString());
            if (r != null && r.ts().equals(p.ts) && Objects.equals(r.policy(), p.draft.policy())) {
                p.future.complete(r);
                it.remove();
                n++;
            }
        }
        return n;
    }

    private void failPending(Pending p, String reason, AuditUnavailableException e) {
        if (p.future.completeExceptionally(e)) {
            failures(reason).increment();
        }
    }

    private void failAllQueued(String message, Throwable cause) {
        List<Pending> rest = new ArrayList<>();
        if (queue != null) {
            queue.drainTo(rest);
        }
        for (Pending p : rest) {
            failPending(p, "unavailable", new AuditUnavailableException(message, cause));
        }
    }

    private static int timeoutSeconds(long millis) {
        return (int) Math.max(1, (millis + 999) / 1000);
    }

    private static void validate(DecisionDraft d) {
        if (d == null) {
            throw new IllegalArgumentException("draft is required");
        }
        if (d.decisionId() == null) {
            throw new IllegalArgumentException("decisionId is required");
        }
        required("caller", d.caller(), 256);
        required("policy", d.policy(), 1024);
        optional("bundleName", d.bundleName(), 256);
        optional("bundleRevision", d.bundleRevision(), 256);
        optional("bundleSha256", d.bundleSha256(), 64);
        optional("errorCode", d.errorCode(), 128);
        optional("inputJson", d.inputJson(), Integer.MAX_VALUE);
        optional("resultJson", d.resultJson(), Integer.MAX_VALUE);
        if (d.latencyMicros() < 0) {
            throw new IllegalArgumentException("latencyMicros must be >= 0");
        }
    }

    private static void required(String name, String v, int max) {
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException(name + " is required");
        }
        optional(name, v, max);
    }

    private static void optional(String name, String v, int max) {
        if (v == null) {
            return;
        }
        if (v.length() > max) {
            throw new IllegalArgumentException(name + " longer than " + max + " characters");
        }
        if (v.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException(name + " contains a NUL character");
        }
    }
}
