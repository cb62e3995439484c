package gate.access.quarantine_test

import rego.v1

import data.gate.access.quarantine

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

responder := {"id": "ana", "api_roles": ["responder"]}

base := {
	"actor": responder,
	"quarantine": {"dataset_id": "parcels", "version_id": "v7", "reason": "wrong areas published"},
	"incident": {"incident_id": "INC-20261127-001", "status": "mitigating"},
	"dataset": {"dataset_id": "parcels", "classification": "public", "license": "ok"},
	"active": false,
}

decide(i) := d if {
	d := quarantine.decision with input as i
}

test_responder_quarantines_for_an_open_incident if {
	d := decide(base)
	d.allow == true
	d.obligations == [{"type": "roll_forward", "action": "publish a corrected version; do not edit in place"}]
}

test_client_may_not_quarantine if {
	d := decide(put(base, {"actor": {"id": "c", "api_roles": ["client"]}}))
	d.reasons == ["only a responder may quarantine a dataset version"]
}

test_unknown_incident_denies if decide(object.remove(base, ["incident"])).reasons == ["a quarantine must be linked to a known incident"]

test_resolved_incident_denies if {
	d := decide(put(base, {"incident": {"incident_id": "INC-20261127-001", "status": "resolved"}}))
	d.reasons == ["the linked incident is resolved; open an incident to quarantine"]
}

test_unknown_dataset_denies if decide(object.remove(base, ["dataset"])).reasons == ["unknown dataset"]

test_missing_reason_denies if {
	d := decide(put(base, {"quarantine": {"dataset_id": "parcels", "version_id": "v7"}}))
	d.reasons == ["a quarantine needs a reason"]
}

test_missing_version_denies if {
	d := decide(put(base, {"quarantine": {"dataset_id": "parcels", "reason": "x"}}))
	d.reasons == ["a version to quarantine must be named"]
}

test_duplicate_quarantine_denies if decide(put(base, {"active": true})).reasons == ["this incident already quarantines this version"]

test_unknown_quarantine_state_denies if {
	decide(object.remove(base, ["active"])).reasons == ["whether the version is already quarantined is unknown"]
}
