package dev.portcullis.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One case of OPA's v1 conformance suite (read from {@code ../shared/opa-conformance/v1}, never
 * copied into this repository).
 *
 * @param id            {@code <folder>/<file>.json#<index>}: stable across runs, used by the
 *                      allow-list and the reports
 * @param entrypoint    the slash-separated entrypoint derived from the query {@code data.a.b = x},
 *                      or null when the case is not convertible
 * @param notConvertible why the case cannot be run as an entrypoint evaluation (null when it can)
 * @param input         the input document, or null when the case leaves input undefined
 * @param wantResults   the expected values of the query variable (empty = undefined), or null for
 *                      error cases
 * @param wantError     the expected error code or text (null for result cases)
 * @param strictError   the error only exists with strict builtin errors; without them (OPA's Wasm
 *                      target, and its evaluator by default) the result is undefined
 */
record OpaSuiteCase(
        String id,
        String folder,
        String note,
        String query,
        String entrypoint,
        String notConvertible,
        List<String> modules,
        JsonNode data,
        JsonNode input,
        List<JsonNode> wantResults,
        String wantError,
        boolean strictError,
        boolean sortBindings) {

    boolean convertible() {
        return notConvertible == null;
    }

    boolean wantsError() {
        return wantResults == null;
    }
}
