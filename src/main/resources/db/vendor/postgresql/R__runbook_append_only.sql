-- PostgreSQL: the runbook's audit trail, reviews and status updates are append-only.
CREATE OR REPLACE FUNCTION runbook_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION runbook_append_only();
DROP TRIGGER IF EXISTS audit_entry_append_only_truncate ON audit_entry;
CREATE TRIGGER audit_entry_append_only_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION runbook_append_only();

DROP TRIGGER IF EXISTS governance_review_append_only ON governance_review;
CREATE TRIGGER governance_review_append_only BEFORE UPDATE OR DELETE ON governance_review
    FOR EACH ROW EXECUTE FUNCTION runbook_append_only();

DROP TRIGGER IF EXISTS status_update_append_only ON status_update;
CREATE TRIGGER status_update_append_only BEFORE UPDATE OR DELETE ON status_update
    FOR EACH ROW EXECUTE FUNCTION runbook_append_only();
