package dev.portcullis.gate.decisionlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shipping the decision record to an OPA decision-log service ({@code portcullis.decision-log.*}). Off unless
 * {@code url} is set.
 */
@ConfigMapping(prefix = "portcullis.decision-log")
public interface DecisionLogConfig {

    /** Where batches are POSTed (OPA's decision-log service API, e.g. {@code https://logs.example/logs}); unset = off. */
    Optional<URI> url();

    /** Bearer token sent as {@code Authorization: Bearer ...} (OPA's {@code credentials.bearer}); a secret. */
    Optional<String> bearerToken();

    /** Name of this sink's acknowledged position in {@code decision_log_position}; change it to re-ship from the start. */
    @WithDefault("default")
    String sink();

    /** Most events per upload. */
    @WithDefault("500")
    int maxBatch();

    /** Uncompressed size a batch stops growing at (one event larger than this is still sent alone). */
    @WithDefault("4194304")
    int maxBatchBytes();

    /** How often the record is checked for new decisions when shipping has caught up. */
    @WithDefault("2s")
    Duration pollInterval();

    /** First wait after a failed upload; it doubles on every further failure. */
    @WithDefault("1s")
    Duration backoffInitial();

    /** Longest wait between retries. */
    @WithDefault("60s")
    Duration backoffMax();

    /** Timeout of one upload (connect + response). */
    @WithDefault("10s")
    Duration timeout();

    /** How long one replica holds the shipping lease without renewing it; another replica takes over after it. */
    @WithDefault("30s")
    Duration lease();

    /**
     * JSON pointers into each event whose value is removed before shipping and listed in the event's
     * {@code erased} field, as OPA's decision-log masking does: {@code /input/subject/email}, {@code /result/reasons}.
     */
    Optional<List<String>> erase();

    /** Extra {@code labels} of every event (OPA's {@code labels} configuration); {@code id} and {@code version} are always set. */
    Map<String, String> labels();

    /** This replica's {@code labels.id} (default: the host name, i.e. the pod name). */
    Optional<String> instanceId();
}
