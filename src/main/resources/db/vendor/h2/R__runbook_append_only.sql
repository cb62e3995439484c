-- H2: the runbook's audit trail, reviews and status updates are append-only
-- (Java trigger dev.portcullis.gate.records.H2AppendOnly). Repeatable (R__) and idempotent.
DROP TRIGGER IF EXISTS audit_entry_append_only_update;
CREATE TRIGGER audit_entry_append_only_update BEFORE UPDATE ON audit_entry
    FOR EACH ROW CALL 'dev.portcullis.gate.records.H2AppendOnly';
DROP TRIGGER IF EXISTS audit_entry_append_only_delete;
CREATE TRIGGER audit_entry_append_only_delete BEFORE DELETE ON audit_entry
    FOR EACH ROW CALL 'dev.portcullis.gate.records.H2AppendOnly';
DROP TRIGGER IF EXISTS governance_review_append_only_update;
CREATE TRIGGER governance_review_append_only_update BEFORE UPDATE ON governance_review
    FOR EACH ROW CALL 'dev.portcullis.gate.records.H2AppendOnly';
DROP TRIGGER IF EXISTS governance_review_append_only_delete;
CREATE TRIGGER governance_review_append_only_delete BEFORE DELETE ON governance_review
    FOR EACH ROW CALL 'dev.portcullis.gate.records.H2AppendOnly';
DROP TRIGGER IF EXISTS status_update_append_only_update;
CREATE TRIGGER status_update_append_only_update BEFORE UPDATE ON status_update
    FOR EACH ROW CALL 'dev.portcullis.gate.records.H2AppendOnly';
DROP TRIGGER IF EXISTS status_update_append_only_delete;
CREATE TRIGGER status_update_append_only_delete BEFORE DELETE ON status_update
    FOR EACH ROW CALL 'dev.portcullis.gate.records.H2AppendOnly';
