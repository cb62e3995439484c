package dev.portcullis.gate.decisions;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code portcullis.decisions.*} — all keys have defaults. */
@ConfigMapping(prefix = "portcullis.decisions")
public interface DecisionsConfig {

    /** Store the raw input JSON in {@code decision.input}; when false only its SHA-256 is kept. */
    @WithDefault("true")
    boolean storeInput();

    /** Maximum number of drafts written in one transaction (one JDBC batch, one commit). */
    @WithDefault("256")
    int maxBatch();

    /** Capacity of the writer queue; {@code record()} fails immediately when it is full. */
    @WithDefault("4096")
    int queueCapacity();

    /**
     * Upper bound for {@code record()} to wait for its commit; after it the caller gets
     * {@link AuditUnavailableException}.
     */
    @WithDefault("2s")
    Duration commitTimeout();

    /** While the store is down, how often the writer probes the database to recover. */
    @WithDefault("500ms")
    Duration probeInterval();

    /** Timeout of the readiness probe ({@code Connection.isValid}) and of the writer's statements. */
    @WithDefault("1s")
    Duration healthTimeout();
}
