-- Replicas on one database (docs/operations.md "Replicas"). Portable: H2 2.x and PostgreSQL 15.

-- One global decision chain for all instances: a writer holds this row's lock (SELECT ... FOR
-- UPDATE) from reading the chain tail until its batch commits, so two instances can never hand out
-- the same seq or chain to the same predecessor. A missing row makes every write fail (deny).
CREATE TABLE decision_chain_lock (
    id INT NOT NULL PRIMARY KEY,
    CONSTRAINT decision_chain_lock_single CHECK (id = 1)
);
INSERT INTO decision_chain_lock (id) VALUES (1);

-- Every activation or rollback increments the row's generation; instances poll the table and follow
-- any row whose generation is newer than the one they applied (no clock comparison between hosts).
ALTER TABLE bundle_activation ADD COLUMN generation BIGINT DEFAULT 0 NOT NULL;
