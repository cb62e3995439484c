package dev.portcullis.gate.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** Time-boxed access for an incident; counts for nothing once revoked or expired. */
@Entity
@Table(name = "breakglass_grant")
public class BreakglassGrant extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false, updatable = false)
    public String subject;

    /** JSON array of dataset ids. */
    @Column(nullable = false, updatable = false)
    public String datasets;

    @Column(name = "incident_id", nullable = false, updatable = false)
    public String incidentId;

    @Column(nullable = false, updatable = false)
    public String justification;

    @Column(name = "duration_minutes", nullable = false, updatable = false)
    public int durationMinutes;

    @Column(name = "granted_by", nullable = false, updatable = false)
    public String grantedBy;

    @Column(name = "granted_at", nullable = false, updatable = false)
    public Instant grantedAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    public Instant expiresAt;

    @Column(name = "decision_id", nullable = false, updatable = false)
    public String decisionId;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    @Column(name = "revoke_reason")
    public String revokeReason;

    @Version
    public long version;
}
