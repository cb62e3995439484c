package dev.portcullis.gate.records;

import dev.portcullis.gate.api.ApiError;
import dev.portcullis.gate.api.BundleRef;
import dev.portcullis.gate.decide.DecisionOutcome;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** HTTP answers of the runbook endpoints' refusals. */
public class RecordMappers {

    @ServerExceptionMapper
    public Response refused(RecordException e) {
        return ApiError.response(e.status(), e.code(), e.getMessage());
    }

    /**
     * A denied gated change: 409 with the decision that denied it. A deny forced by an unavailable
     * decision record keeps its 5xx status: the change may be retried, the policy never said no.
     */
    @ServerExceptionMapper
    public Response denied(GateDeniedException e) {
        return Response.status(e.outcome().httpStatus() >= 500 ? e.outcome().httpStatus() : 409)
                .type(MediaType.APPLICATION_JSON_TYPE).entity(denial(e.outcome())).build();
    }

    public static Map<String, Object> denial(DecisionOutcome o) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision_id", o.decisionId().toString());
        body.put("allow", false);
        body.put("reasons", o.reasons());
        body.put("obligations", o.obligations());
        body.put("bundle", BundleRef.of(o.bundle()));
        body.put("error", o.errorCode() == null ? null : new ApiError(o.errorCode(), o.errorMessage()));
        return body;
    }
}
