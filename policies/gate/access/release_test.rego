package gate.access.release_test

import rego.v1

import data.gate.access.release

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

steward := {"id": "gs", "api_roles": ["steward"]}

base := {
	"actor": steward,
	"quarantine": {"dataset_id": "parcels", "version_id": "v7", "incident_id": "INC-20261127-001"},
	"release": {"reason": "v8 corrects the areas", "replacement_version": "v8"},
	"replacement_quarantined": false,
}

decide(i) := d if {
	d := release.decision with input as i
}

test_steward_releases_with_a_replacement if decide(base).allow == true

test_steward_releases_without_a_replacement if {
	decide(put(object.remove(base, ["replacement_quarantined"]), {"release": {"reason": "false alarm"}})).allow == true
}

test_responder_may_not_release if {
	d := decide(put(base, {"actor": {"id": "ana", "api_roles": ["responder"]}}))
	d.reasons == ["only a steward may release a quarantine"]
}

test_missing_actor_denies if decide(object.remove(base, ["actor"])).allow == false

test_not_quarantined_denies if decide(object.remove(base, ["quarantine"])).reasons == ["the version is not quarantined"]

test_missing_reason_denies if {
	d := decide(put(base, {"release": {"replacement_version": "v8"}}))
	d.reasons == ["a release needs a reason"]
}

test_replacement_must_differ if {
	d := decide(put(base, {"release": {"reason": "r", "replacement_version": "v7"}}))
	"the replacement must be another version" in d.reasons
}

test_quarantined_replacement_denies if {
	d := decide(put(base, {"replacement_quarantined": true}))
	d.reasons == ["the replacement version is itself quarantined"]
}

test_unknown_replacement_state_denies if {
	d := decide(object.remove(base, ["replacement_quarantined"]))
	d.reasons == ["the replacement version is itself quarantined"]
}

test_blank_replacement_denies if {
	d := decide(put(base, {"release": {"reason": "r", "replacement_version": ""}}))
	d.reasons == ["the replacement version must be named by its id"]
}
