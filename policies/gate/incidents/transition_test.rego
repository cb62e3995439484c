package gate.incidents.transition_test

import rego.v1

import data.gate.incidents.transition

ic := {"id": "ana", "roles": ["ic"]}

base := {
	"incident_id": "INC-20261127-001",
	"sev": "SEV2",
	"status": "declared",
	"ic": "ana",
	"tech_lead": "bo",
	"scribe": "cy",
	"policy_flags": ["none"],
}

decide(incident, to, actor) := d if {
	d := transition.decision with input as {
		"incident": incident,
		"transition": {"to": to},
		"actor": actor,
	}
}

test_declared_to_mitigating_with_roles_is_allowed if {
	d := decide(base, "mitigating", ic)
	d.allow == true
	d.reasons == []
	{"type": "status_update", "every_minutes": 60} in d.obligations
}

test_skipping_mitigation_is_denied if {
	d := decide(base, "resolved", ic)
	d.allow == false
	"transition declared -> resolved is not part of the lifecycle" in d.reasons
}

test_missing_scribe_is_denied if {
	d := decide(object.remove(base, ["scribe"]), "mitigating", ic)
	d.allow == false
	"role scribe must be assigned" in d.reasons
}

test_only_ic_or_tech_lead_decides if {
	d := decide(base, "mitigating", {"id": "x", "roles": ["comms"]})
	d.allow == false
	"only the incident commander or tech lead may change the incident status" in d.reasons
}

test_sensitive_location_must_be_sev0 if {
	inc := object.union(base, {"sev": "SEV1", "policy_flags": ["sensitive-location"], "governance_steward": "gs"})
	d := decide(inc, "mitigating", ic)
	"a suspected sensitive-location exposure must be handled as SEV0" in d.reasons
}

test_governance_risk_needs_steward if {
	inc := object.union(base, {"sev": "SEV0", "policy_flags": ["policy-bypass"]})
	d := decide(inc, "mitigating", ic)
	"a governance steward must be assigned for SEV0/SEV1 incidents with governance risk" in d.reasons
}

test_sensitive_sev0_with_steward_is_allowed_with_obligations if {
	inc := object.union(base, {"sev": "SEV0", "policy_flags": ["sensitive-location"], "governance_steward": "gs"})
	d := decide(inc, "mitigating", ic)
	d.allow == true
	{"type": "status_update", "every_minutes": 15} in d.obligations
	{"type": "engage", "roles": ["governance_steward", "security_lead"]} in d.obligations
}

mitigated_dod := {"mitigated": {
	"user_harm_stopped": true,
	"monitoring_stable": true,
	"timeline_coherent": true,
	"next_update_posted": true,
}}

test_mitigated_requires_definition_of_done if {
	inc := object.union(base, {"status": "mitigating"})
	d := decide(inc, "mitigated", ic)
	d.allow == false
	"not mitigated: monitoring must confirm stability for the agreed window" in d.reasons
	count(d.reasons) == 4
}

test_mitigated_with_definition_of_done_is_allowed if {
	inc := object.union(base, {"status": "mitigating", "dod": mitigated_dod})
	decide(inc, "mitigated", ic).allow == true
}

resolved_dod := {"resolved": {
	"root_cause_understood": true,
	"postmortem_scheduled": true,
	"preventive_fix": {"action_item": {"owner": "bo", "due": "2026-12-15"}},
}}

test_resolved_with_definition_of_done_is_allowed if {
	inc := object.union(base, {"status": "mitigated", "dod": resolved_dod})
	d := decide(inc, "resolved", ic)
	d.allow == true
	{"type": "postmortem", "action": "complete the blameless postmortem"} in d.obligations
}

test_unrevoked_breakglass_blocks_closure if {
	grants := [{"id": "bg-1", "revoked_at": "2026-11-27T10:00:00Z"}, {"id": "bg-2"}]
	inc := object.union(base, {"status": "mitigated", "dod": resolved_dod, "breakglass": grants})
	d := decide(inc, "resolved", ic)
	d.reasons == ["not resolved: breakglass grant bg-2 is not revoked"]
}

test_preventive_fix_needs_owner_and_due_date if {
	dod := {"resolved": object.union(resolved_dod.resolved, {"preventive_fix": {"action_item": {"owner": "bo", "due": ""}}})}
	inc := object.union(base, {"status": "mitigated", "dod": dod})
	d := decide(inc, "resolved", ic)
	"not resolved: a preventive fix must be merged or tracked with an owner and a due date" in d.reasons
}

test_governance_review_required_before_closure if {
	inc := object.union(base, {
		"status": "mitigated", "dod": resolved_dod,
		"sev": "SEV0", "policy_flags": ["license-uncertain"], "governance_steward": "gs",
	})
	d := decide(inc, "resolved", ic)
	d.reasons == ["not resolved: a governance review by the steward must be documented"]
	reviewed := object.union(inc, {"governance_review": {"completed": true, "reviewer": "gs", "outcome": "no exposure"}})
	decide(reviewed, "resolved", ic).allow == true
}

test_review_by_someone_else_does_not_count if {
	inc := object.union(base, {
		"status": "mitigated", "dod": resolved_dod, "sev": "SEV1", "policy_flags": ["policy-bypass"],
		"governance_steward": "gs",
		"governance_review": {"completed": true, "reviewer": "ana", "outcome": "fine"},
	})
	decide(inc, "resolved", ic).allow == false
}

test_resolved_is_terminal if {
	inc := object.union(base, {"status": "resolved"})
	decide(inc, "mitigating", ic).allow == false
}

test_unknown_severity_is_denied if {
	d := decide(object.union(base, {"sev": "P1"}), "mitigating", ic)
	"severity must be one of SEV0, SEV1, SEV2, SEV3" in d.reasons
}
