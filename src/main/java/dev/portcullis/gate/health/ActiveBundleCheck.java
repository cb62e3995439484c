package dev.portcullis.gate.health;

import dev.portcullis.gate.bundles.BundleRegistry;
import dev.portcullis.gate.bundles.BundleVersion;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while some bundle is active. The registry activates a version only after its smoke
 * evaluation passed, so an active bundle is one that has been proven to evaluate.
 */
@Readiness
@ApplicationScoped
public class ActiveBundleCheck implements HealthCheck {
    private final BundleRegistry registry;

    ActiveBundleCheck(BundleRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("active-bundle");
        if (!registry.hasActive()) {
            return b.down().withData("reason", "no bundle is active").build();
        }
        for (String name : registry.names()) {
            registry.active(name).ifPresent(v -> b.withData(name, describe(v)));
        }
        return b.up().build();
    }

    private static String describe(BundleVersion v) {
        return v.revision() + " (sha256 " + v.sha256().substring(0, 12) + ")";
    }
}
