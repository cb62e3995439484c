package dev.portcullis.gate.access;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A dataset's governance facts, kept by the steward. */
@Entity
@Table(name = "dataset")
public class Dataset extends PanacheEntityBase {
    @Id
    @Column(name = "dataset_id")
    public String datasetId;

    @Column(nullable = false)
    public String classification;

    @Column(nullable = false)
    public String license;

    /** JSON array of strings. */
    @Column(nullable = false)
    public String labels;

    public String owner;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
