package dev.portcullis.gate.bundles.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * What the bundle service knows about one bundle (OPA's bundle status, in its field names).
 *
 * @param lastRequest              when the server was last asked
 * @param lastSuccessfulRequest    last answer 200 or 304
 * @param lastSuccessfulDownload   last 200 whose bundle passed verification
 * @param lastSuccessfulActivation last time a downloaded revision was activated by this instance
 * @param revision                 revision of the last bundle downloaded
 * @param etag                     the server's ETag of that bundle (sent as If-None-Match)
 * @param code                     null, or the error of the last poll
 * @param consecutiveFailures      failed polls since the last success (drives the back-off)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleStatus(String name, String url,
        @JsonProperty("last_request") Instant lastRequest,
        @JsonProperty("last_successful_request") Instant lastSuccessfulRequest,
        @JsonProperty("last_successful_download") Instant lastSuccessfulDownload,
        @JsonProperty("last_successful_activation") Instant lastSuccessfulActivation,
        String revision, String etag, String code, String message,
        @JsonProperty("consecutive_failures") int consecutiveFailures,
        @JsonProperty("next_poll") Instant nextPoll) {}
