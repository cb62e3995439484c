package dev.portcullis.gate.bundles.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * {@code portcullis.bundle-service.*}: OPA's {@code services} and {@code bundles} configuration.
 * A bundle names a service and a resource; the gate polls {@code GET <service url>/<resource>}.
 * No bundle configured: nothing is polled.
 */
@ConfigMapping(prefix = "portcullis.bundle-service")
public interface BundleServiceConfig {

    /** Bundle servers by name (OPA's {@code services}). */
    Map<String, Service> services();

    /** Bundles to download, by bundle name (OPA's {@code bundles}); the name is the registry's bundle name. */
    Map<String, Bundle> bundles();

    /** Largest bundle accepted from a server; a larger response is an error and nothing is stored. */
    @WithDefault("33554432")
    long maxDownloadBytes();

    interface Service {
        /** Base URL, e.g. {@code https://bundles.example.com/v1}. */
        String url();

        /** Bearer token sent as {@code Authorization: Bearer <token>} (OPA's {@code credentials.bearer.token}). */
        Optional<String> token();

        /** Connect and response timeout of one request. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Bundle {
        /** The name of the service (a key of {@code services}). */
        String service();

        /** Path below the service URL; OPA's default is {@code bundles/<name>}. */
        Optional<String> resource();

        /**
         * Activate every new revision downloaded (as OPA does). When false, downloaded revisions are
         * only loaded, and an administrator activates them.
         */
        @WithDefault("true")
        boolean activate();

        /** Delay between polls after a successful one: uniformly random in [min-delay, max-delay]. */
        @WithDefault("60s")
        Duration minDelay();

        @WithDefault("120s")
        Duration maxDelay();

        /** First delay after a failed poll; it doubles with every further failure, up to max-delay. */
        @WithDefault("1s")
        Duration backoff();
    }
}
