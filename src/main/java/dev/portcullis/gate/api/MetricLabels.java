package dev.portcullis.gate.api;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps request text out of metric labels. The HTTP server metrics label requests by URI
 * template, but a request that matches no template (or whose path decodes to control bytes) is
 * labelled with its path: such a value becomes {@value #INVALID}, and Quarkus caps the number of
 * distinct {@code uri} values ({@code quarkus.micrometer.binder.http-server.max-uri-tags}). The
 * gate's own labels (policy, bundle) are bounded where they are made.
 */
@Singleton
public class MetricLabels {

    static final String INVALID = "invalid";
    static final int MAX_CHARS = 128;

    @Produces
    @Singleton
    MeterFilter boundedUriLabels() {
        return MeterFilter.replaceTagValues("uri", v -> printable(v) ? v : INVALID);
    }

    /** Visible ASCII only (no quote or backslash, which the exposition format would have to escape), bounded. */
    static boolean printable(String v) {
        if (v.length() > MAX_CHARS) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
