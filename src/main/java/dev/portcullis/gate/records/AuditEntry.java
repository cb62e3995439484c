package dev.portcullis.gate.records;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One change to one runbook record; the table is append-only (database triggers). */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "record_type", nullable = false, updatable = false)
    public String recordType;

    @Column(name = "record_id", nullable = false, updatable = false)
    public String recordId;

    /** The incident whose timeline shows this entry, if any. */
    @Column(name = "incident_id", updatable = false)
    public String incidentId;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    public Instant recordedAt;

    @Column(nullable = false, updatable = false)
    public String actor;

    @Column(nullable = false, updatable = false)
    public String action;

    /** What changed, as a JSON object. */
    @Column(name = "change_json", nullable = false, updatable = false)
    public String changeJson;

    /** The decision that allowed the change, when the change is gated. */
    @Column(name = "decision_id", updatable = false)
    public String decisionId;
}
