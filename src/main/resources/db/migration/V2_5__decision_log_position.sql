-- Decision-log shipping (dev.portcullis.gate.decisionlog). Portable: H2 2.x and PostgreSQL 15.
-- One row per sink: the highest decision seq the receiver acknowledged, and the lease that lets one
-- replica at a time ship (the others stand by and take over when the lease expires).
CREATE TABLE decision_log_position (
    sink         VARCHAR(200)             NOT NULL PRIMARY KEY,
    acked_seq    BIGINT                   NOT NULL,
    acked_at     TIMESTAMP WITH TIME ZONE,
    lease_owner  VARCHAR(200),
    lease_until  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT decision_log_position_acked CHECK (acked_seq >= 0)
);
