package dev.portcullis.gate.decide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.gate.bundles.BundleVersion;
import java.util.List;
import java.util.UUID;

/**
 * What the gate decided and why. {@code allow} is true only when a policy said so, nothing failed
 * and the decision record was committed.
 *
 * @param value      the entrypoint's value (null when undefined or failed), for the Data API
 * @param bundle     the bundle that produced it, null when none was active
 * @param errorCode  null, or why the decision is a deny regardless of policy
 * @param httpStatus the status the API answers with
 */
public record DecisionOutcome(UUID decisionId, boolean allow, List<JsonNode> reasons, List<JsonNode> obligations,
        JsonNode value, BundleVersion bundle, String errorCode, String errorMessage, int httpStatus) {

    public DecisionOutcome {
        reasons = List.copyOf(reasons);
        obligations = List.copyOf(obligations);
    }
}
