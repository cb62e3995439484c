package dev.portcullis.gate.api;

import dev.portcullis.gate.bundles.BundleRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** {@code portcullis_bundle_active{bundle, revision}} = 1 for each active revision, refreshed every few seconds. */
@ApplicationScoped
public class BundleMetrics {
    private final BundleRegistry registry;
    private final MultiGauge active;

    BundleMetrics(BundleRegistry registry, MeterRegistry meters) {
        this.registry = registry;
        this.active = MultiGauge.builder("portcullis_bundle_active")
                .description("1 for the active revision of each bundle").register(meters);
    }

    @Scheduled(every = "2s", delayed = "1s")
    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String name : registry.names()) {
            registry.active(name).ifPresent(v ->
                    rows.add(MultiGauge.Row.of(Tags.of("bundle", name, "revision", v.revision()), 1)));
        }
        active.register(rows, true);
    }
}
