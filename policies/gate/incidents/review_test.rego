package gate.incidents.review_test

import rego.v1

import data.gate.incidents.review

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

steward := {"id": "gs", "api_roles": ["steward"]}

inc := {"status": "mitigated", "sev": "SEV0", "governance_steward": "gs"}

decide(incident, outcome, actor) := d if {
	d := review.decision with input as {"incident": incident, "review": {"outcome": outcome}, "actor": actor}
}

test_the_incidents_steward_reviews if {
	decide(inc, "approved", steward).allow == true
	decide(inc, "changes_required", steward).allow == true
}

test_another_steward_does_not_count if {
	d := decide(inc, "approved", {"id": "other", "api_roles": ["steward"]})
	d.reasons == ["only the incident's governance steward may record its governance review"]
}

test_the_named_steward_needs_the_steward_role if {
	d := decide(inc, "approved", {"id": "gs", "api_roles": ["responder"]})
	d.reasons == ["only a steward may record a governance review"]
}

test_no_steward_assigned_denies if {
	d := decide(object.remove(inc, ["governance_steward"]), "approved", steward)
	d.reasons == ["only the incident's governance steward may record its governance review"]
}

test_missing_actor_denies if {
	d := review.decision with input as {"incident": inc, "review": {"outcome": "approved"}}
	d.allow == false
}

test_unknown_or_missing_outcome_denies if {
	decide(inc, "fine", steward).reasons == ["outcome must be approved or changes_required"]
	d := review.decision with input as {"incident": inc, "review": {}, "actor": steward}
	d.reasons == ["outcome must be approved or changes_required"]
}

test_resolved_incident_cannot_be_reviewed if {
	d := decide(put(inc, {"status": "resolved"}), "approved", steward)
	d.reasons == ["a resolved incident is final; review it before closure"]
	decide(object.remove(inc, ["status"]), "approved", steward).allow == false
}
