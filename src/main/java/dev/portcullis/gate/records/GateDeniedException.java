package dev.portcullis.gate.records;

import dev.portcullis.gate.decide.DecisionOutcome;

/** The policy denied a gated change (or could not decide): nothing changed; the API answers 409. */
public class GateDeniedException extends RuntimeException {
    private final transient DecisionOutcome outcome;

    public GateDeniedException(DecisionOutcome outcome) {
        super("denied by decision " + outcome.decisionId());
        this.outcome = outcome;
    }

    public DecisionOutcome outcome() {
        return outcome;
    }
}
