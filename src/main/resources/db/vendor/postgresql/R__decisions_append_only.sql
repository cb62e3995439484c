-- PostgreSQL: the decision table is append-only. Any UPDATE, DELETE or TRUNCATE raises.
-- Repeatable (R__) and idempotent, so it applies after all versioned migrations, also to databases
-- created before this location was configured. (An owner/superuser can still ALTER TABLE ...
-- DISABLE TRIGGER; run the service as a role that does not own the table in production.)
CREATE OR REPLACE FUNCTION decision_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'decision is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS decision_append_only_row ON decision;
CREATE TRIGGER decision_append_only_row
    BEFORE UPDATE OR DELETE ON decision
    FOR EACH ROW EXECUTE FUNCTION decision_append_only();

DROP TRIGGER IF EXISTS decision_append_only_truncate ON decision;
CREATE TRIGGER decision_append_only_truncate
    BEFORE TRUNCATE ON decision
    FOR EACH STATEMENT EXECUTE FUNCTION decision_append_only();
