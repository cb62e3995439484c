package dev.portcullis.gate.incidents;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A governance review outcome recorded by the incident's steward (append-only). */
@Entity
@Table(name = "governance_review")
public class GovernanceReview extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "incident_id", nullable = false, updatable = false)
    public String incidentId;

    @Column(nullable = false, updatable = false)
    public String reviewer;

    @Column(nullable = false, updatable = false)
    public String outcome;

    @Column(updatable = false)
    public String notes;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    public Instant recordedAt;

    @Column(name = "decision_id", nullable = false, updatable = false)
    public String decisionId;
}
