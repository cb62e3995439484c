package gate.access.breakglass_test

import rego.v1

import data.gate.access.breakglass

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

ic := {"id": "ana", "api_roles": ["responder"]}

base := {
	"actor": ic,
	"grant": {"subject": "dee", "datasets": ["sites"], "justification": "verify the leaked layer", "duration_minutes": 60},
	"incident": {"incident_id": "INC-20261127-001", "status": "mitigating", "ic": "ana"},
	"subject": {"id": "dee", "roles": ["analyst"]},
	"datasets_known": true,
}

decide(i) := d if {
	d := breakglass.decision with input as i
}

with_grant(patch) := put(base, {"grant": put(base.grant, patch)})

test_ic_grants_breakglass if {
	d := decide(base)
	d.allow == true
	d.obligations == [{"type": "revoke", "action": "revoke the grant when access is no longer needed"}]
}

test_a_steward_grants_breakglass if decide(put(base, {"actor": {"id": "gs", "api_roles": ["steward"]}})).allow == true

test_another_responder_may_not_grant if {
	d := decide(put(base, {"actor": {"id": "bo", "api_roles": ["responder"]}}))
	d.reasons == ["only the incident commander of this incident or a steward may grant breakglass"]
}

test_missing_actor_denies if decide(object.remove(base, ["actor"])).allow == false

test_never_to_oneself if {
	d := decide(with_grant({"subject": "ana"}))
	d.reasons == ["nobody may grant breakglass to themselves"]
	steward := {"id": "gs", "api_roles": ["steward"]}
	decide(put(with_grant({"subject": "gs"}), {"actor": steward})).allow == false
}

test_needs_a_justification if {
	decide(with_grant({"justification": " "})).reasons == ["a breakglass grant needs a justification"]
	decide(put(base, {"grant": object.remove(base.grant, ["justification"])})).allow == false
}

test_duration_is_bounded if {
	decide(with_grant({"duration_minutes": 240})).allow == true
	decide(with_grant({"duration_minutes": 241})).reasons == ["duration_minutes must be between 1 and 240"]
	decide(with_grant({"duration_minutes": 0})).allow == false
	decide(with_grant({"duration_minutes": "60"})).allow == false
	decide(put(base, {"grant": object.remove(base.grant, ["duration_minutes"])})).allow == false
}

test_maximum_is_configured if {
	breakglass.configured_max({"breakglass_max_minutes": 60}) == 60
	breakglass.configured_max({}) == 240
	breakglass.max_minutes == 240
}

test_needs_an_open_incident if {
	closed := put(base, {"incident": put(base.incident, {"status": "resolved"})})
	decide(closed).reasons == ["a breakglass grant needs an open incident"]
	decide(object.remove(base, ["incident"])).allow == false
}

test_needs_a_known_subject if decide(object.remove(base, ["subject"])).reasons == ["unknown subject"]

test_needs_known_datasets if {
	decide(with_grant({"datasets": []})).reasons == ["a grant must name at least one dataset"]
	decide(put(base, {"datasets_known": false})).reasons == ["a grant may only name registered datasets"]
	decide(object.remove(base, ["datasets_known"])).allow == false
}
