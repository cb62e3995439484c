-- H2: the decision table is append-only; UPDATE and DELETE raise (Java trigger
-- dev.portcullis.gate.decisions.H2AppendOnlyTrigger). Repeatable (R__) and idempotent.
DROP TRIGGER IF EXISTS decision_append_only_update;
CREATE TRIGGER decision_append_only_update BEFORE UPDATE ON decision
    FOR EACH ROW CALL 'dev.portcullis.gate.decisions.H2AppendOnlyTrigger';
DROP TRIGGER IF EXISTS decision_append_only_delete;
CREATE TRIGGER decision_append_only_delete BEFORE DELETE ON decision
    FOR EACH ROW CALL 'dev.portcullis.gate.decisions.H2AppendOnlyTrigger';
