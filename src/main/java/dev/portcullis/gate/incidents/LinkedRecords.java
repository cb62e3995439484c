package dev.portcullis.gate.incidents;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;

/**
 * Records of other packages linked to an incident (quarantines, breakglass grants), as the
 * incident's policies and evidence export read them. Implemented by {@code dev.portcullis.gate.access},
 * which depends on this package, not the other way round.
 */
public interface LinkedRecords {

    /** The incident's grants as policy facts: {@code [{"id", "revoked", "expires_at_unix_s"}]}. */
    ArrayNode grantFacts(String incidentId, Instant now);

    /** The incident's quarantines as stored, for the evidence export. */
    ArrayNode quarantines(String incidentId);

    /** The incident's breakglass grants as stored, for the evidence export. */
    ArrayNode grants(String incidentId);
}
