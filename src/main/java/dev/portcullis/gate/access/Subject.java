package dev.portcullis.gate.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** Someone data is accessed for: their data roles and the datasets they need to know. */
@Entity
@Table(name = "subject")
public class Subject extends PanacheEntityBase {
    @Id
    @Column(name = "subject_id")
    public String subjectId;

    /** JSON array of strings. */
    @Column(nullable = false)
    public String roles;

    /** JSON array of dataset ids. */
    @Column(name = "need_to_know", nullable = false)
    public String needToKnow;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
