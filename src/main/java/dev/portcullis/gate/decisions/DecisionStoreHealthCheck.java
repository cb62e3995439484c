package dev.portcullis.gate.decisions;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness "decision-store": DOWN when the decision table's database is unreachable. */
@Readiness
@ApplicationScoped
public class DecisionStoreHealthCheck implements HealthCheck {

    @Inject
    DecisionRecorder recorder;

    @Override
    public HealthCheckResponse call() {
        boolean up = recorder.healthy();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("decision-store").status(up)
                .withData("queueDepth", recorder.queueDepth());
        String err = recorder.lastError();
        if (!up && err != null) {
            b.withData("error", err);
        }
        return b.build();
    }
}
