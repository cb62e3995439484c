-- Decision record (ARCHITECTURE.md section 2, "decisions"). Valid on H2 2.x and PostgreSQL 15.
-- Append-only: rows are only ever INSERTed by dev.portcullis.gate.decisions.DecisionRecorder
-- (single writer, group commit). UPDATE/DELETE are rejected by a trigger installed by the
-- vendor-specific migration db/vendor/<db-kind>/V1_1__decisions_append_only.sql.
-- seq is assigned by the writer (tail.seq + 1), not by an identity, so it is gap-free and equals
-- the position in the hash chain; the PRIMARY KEY on seq and UNIQUE on prev_hash make a fork of
-- the chain (two rows claiming the same predecessor) impossible at the database level.
CREATE TABLE decision (
    seq             BIGINT                   NOT NULL,
    decision_id     VARCHAR(36)              NOT NULL,
    ts              TIMESTAMP WITH TIME ZONE NOT NULL,
    caller          VARCHAR(256)             NOT NULL,
    policy          VARCHAR(1024)            NOT NULL,
    bundle_name     VARCHAR(256),
    bundle_revision VARCHAR(256),
    bundle_sha256   VARCHAR(64),
    input_sha256    VARCHAR(64),
    input           TEXT,
    result          TEXT,
    allow           BOOLEAN                  NOT NULL,
    error_code      VARCHAR(128),
    latency_micros  BIGINT                   NOT NULL,
    prev_hash       VARCHAR(64)              NOT NULL,
    hash            VARCHAR(64)              NOT NULL,
    CONSTRAINT decision_pk PRIMARY KEY (seq),
    CONSTRAINT decision_id_uq UNIQUE (decision_id),
    CONSTRAINT decision_prev_hash_uq UNIQUE (prev_hash),
    CONSTRAINT decision_seq_positive CHECK (seq > 0)
);

CREATE INDEX decision_policy_seq_idx ON decision (policy, seq);
CREATE INDEX decision_ts_idx ON decision (ts);
