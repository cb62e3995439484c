-- H2: the decision table is append-only; UPDATE and DELETE raise (Java trigger).
CREATE TRIGGER decision_append_only_update BEFORE UPDATE ON decision
    FOR EACH ROW CALL 'dev.portcullis.gate.decisions.H2AppendOnlyTrigger';
CREATE TRIGGER decision_append_only_delete BEFORE DELETE ON decision
    FOR EACH ROW CALL 'dev.portcullis.gate.decisions.H2AppendOnlyTrigger';
