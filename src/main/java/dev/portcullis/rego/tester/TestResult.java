package dev.portcullis.rego.tester;

/**
 * The outcome of running one {@link RegoTest}.
 *
 * @param message why it did not pass ("undefined", "got false", the evaluation error); null on PASS
 */
public record TestResult(RegoTest test, Outcome outcome, String message, long durationNanos) {

    public enum Outcome {
        /** evaluated to {@code true} (a partial-object test: every value true) */
        PASS,
        /** evaluated to anything else, or undefined */
        FAIL,
        /** evaluation failed (a runtime conflict, a builtin error) */
        ERROR,
        /** a {@code todo_test_} rule */
        SKIP
    }

    public boolean passed() {
        return outcome == Outcome.PASS;
    }
}
