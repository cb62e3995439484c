package dev.portcullis.gate.incidents;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** An incident record (runbook template). Status and severity change only through gated transitions. */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {
    @Id
    @Column(name = "incident_id")
    public String incidentId;

    @Column(name = "opened_at", nullable = false, updatable = false)
    public Instant openedAt;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String sev;

    /** The template's other fields as a JSON object (see {@link IncidentFields}). */
    @Column(nullable = false)
    public String fields;

    /** JSON array: every policy flag this incident ever carried. */
    @Column(name = "flags_ever_raised", nullable = false)
    public String flagsEverRaised;

    /** The evidence cited by the last severity change, if any. */
    @Column(name = "sev_evidence_ref")
    public String sevEvidenceRef;

    /** JSON: the mitigation evidence as posted (timestamps as UTC text). */
    public String mitigation;

    /** JSON: the closure evidence as posted. */
    public String closure;

    @Column(name = "last_update_at")
    public Instant lastUpdateAt;

    /** Minutes between status updates, as the last gated decision's obligation set it; null: none due. */
    @Column(name = "update_every_minutes")
    public Integer updateEveryMinutes;

    @Column(name = "declared_decision_id", nullable = false, updatable = false)
    public String declaredDecisionId;

    @Version
    public long version;
}
