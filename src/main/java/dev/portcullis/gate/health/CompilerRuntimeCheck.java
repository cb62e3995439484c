package dev.portcullis.gate.health;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The service cannot compile or evaluate anything without the Wasm runtime that ships as a
 * resource; readiness is DOWN if it is missing.
 */
@Readiness
@ApplicationScoped
public class CompilerRuntimeCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        try (InputStream in = getClass().getResourceAsStream("/runtime.wasm")) {
            if (in == null) {
                return HealthCheckResponse.named("wasm-runtime").down().withData("error", "runtime.wasm missing").build();
            }
            return HealthCheckResponse.named("wasm-runtime").up().withData("bytes", in.readAllBytes().length).build();
        } catch (IOException e) {
            return HealthCheckResponse.named("wasm-runtime").down().withData("error", e.getMessage()).build();
        }
    }
}
