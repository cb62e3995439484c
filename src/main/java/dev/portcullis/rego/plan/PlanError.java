package dev.portcullis.rego.plan;

import dev.portcullis.rego.diag.Diagnostic;

/** Raised while planning one rule; the planner turns it into a diagnostic and moves on. */
final class PlanError extends RuntimeException {
    final transient Diagnostic diagnostic;

    PlanError(Diagnostic diagnostic) {
        super(diagnostic.toString(), null, false, false);
        this.diagnostic = diagnostic;
    }
}
