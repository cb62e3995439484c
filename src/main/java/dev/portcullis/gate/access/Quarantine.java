package dev.portcullis.gate.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A dataset version held back by an incident; active until released. */
@Entity
@Table(name = "quarantine")
public class Quarantine extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "dataset_id", nullable = false, updatable = false)
    public String datasetId;

    @Column(name = "version_id", nullable = false, updatable = false)
    public String versionId;

    @Column(name = "incident_id", nullable = false, updatable = false)
    public String incidentId;

    @Column(nullable = false, updatable = false)
    public String reason;

    @Column(name = "placed_by", nullable = false, updatable = false)
    public String placedBy;

    @Column(name = "placed_at", nullable = false, updatable = false)
    public Instant placedAt;

    @Column(name = "placed_decision_id", nullable = false, updatable = false)
    public String placedDecisionId;

    @Column(name = "released_at")
    public Instant releasedAt;

    @Column(name = "released_by")
    public String releasedBy;

    @Column(name = "release_reason")
    public String releaseReason;

    @Column(name = "replacement_version")
    public String replacementVersion;

    @Column(name = "released_decision_id")
    public String releasedDecisionId;

    @Version
    public long version;
}
