package dev.portcullis.gate.engine;

import java.util.Map;

/**
 * The result of {@link PolicyEngine#smokeTest}: every entrypoint evaluated once with input {@code {}}.
 * {@code failures} maps entrypoint → failed evaluation (undefined results are not failures).
 */
public record SmokeResult(boolean ok, Map<String, Evaluation> failures, long nanos) {

    public SmokeResult {
        failures = Map.copyOf(failures);
    }

    /** A smoke test that failed as a whole (budget exhausted, no worker): reported against the first entrypoint. */
    static SmokeResult failed(java.util.List<String> entrypoints, Evaluation why, long nanos) {
        String key = entrypoints.isEmpty() ? "(bundle)" : entrypoints.get(0);
        return new SmokeResult(false, Map.of(key, why), nanos);
    }

    /** A one-line description of the first failure, or "ok". */
    public String summary() {
        if (ok) {
            return "ok";
        }
        var e = failures.entrySet().iterator().next();
        return e.getKey() + ": " + e.getValue().errorCode() + " (" + e.getValue().errorMessage() + ")";
    }

    /** True when any failure is an instantiation failure (the module does not link/run at all). */
    public boolean instantiationFailed() {
        return failures.values().stream().anyMatch(e -> Evaluation.INSTANTIATION_ERROR.equals(e.errorCode()));
    }
}
