package gate.incidents.severity_test

import rego.v1

import data.gate.incidents.severity

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

ic := {"id": "ana", "api_roles": ["responder"]}

base := {"status": "mitigating", "sev": "SEV2", "ic": "ana", "tech_lead": "bo", "scribe": "cy", "policy_flags": ["none"]}

decide(incident, change, actor) := d if {
	d := severity.decision with input as {"incident": incident, "change": change, "actor": actor}
}

test_ic_raises_severity if {
	d := decide(base, {"sev": "SEV1"}, ic)
	d.allow == true
	d.obligations == [{"type": "status_update", "every_minutes": 30}]
}

test_tech_lead_lowers_severity if decide(base, {"sev": "SEV3"}, {"id": "bo", "api_roles": ["responder"]}).allow == true

test_others_may_not_change_severity if {
	d := decide(base, {"sev": "SEV1"}, {"id": "cy", "api_roles": ["responder"]})
	d.reasons == ["only the incident commander or tech lead of this incident may change its severity"]
}

test_missing_actor_denies if {
	d := severity.decision with input as {"incident": base, "change": {"sev": "SEV1"}}
	d.reasons == ["only the incident commander or tech lead of this incident may change its severity"]
}

test_unknown_or_missing_severity_denies if {
	decide(base, {"sev": "SEV9"}, ic).reasons == ["severity must be one of SEV0, SEV1, SEV2, SEV3"]
	decide(base, {}, ic).reasons == ["severity must be one of SEV0, SEV1, SEV2, SEV3"]
}

test_same_severity_denies if decide(base, {"sev": "SEV2"}, ic).reasons == ["the incident is already SEV2"]

test_resolved_is_final if {
	d := decide(put(base, {"status": "resolved"}), {"sev": "SEV3"}, ic)
	d.reasons == ["a resolved incident is final; its severity cannot change"]
}

test_missing_status_denies if {
	d := decide(object.remove(base, ["status"]), {"sev": "SEV3"}, ic)
	d.reasons == ["unknown incident status"]
}

sensitive := put(base, {"sev": "SEV0", "policy_flags": ["sensitive-location"]})

test_downgrade_of_sensitive_incident_needs_evidence if {
	d := decide(sensitive, {"sev": "SEV2"}, ic)
	d.reasons == ["a sensitive-location incident stays SEV0 unless an evidence_ref for the downgrade is given"]
	decide(sensitive, {"sev": "SEV2", "evidence_ref": ""}, ic).allow == false
	decide(sensitive, {"sev": "SEV2", "evidence_ref": "forensics-7"}, ic).allow == true
}

test_policy_bypass_and_cultural_flags_need_evidence_too if {
	bypass := put(sensitive, {"policy_flags": ["policy-bypass", "culturally-restricted"]})
	d := decide(bypass, {"sev": "SEV1"}, ic)
	count(d.reasons) == 2
}

test_raising_to_sev0_needs_no_evidence if {
	flagged := put(base, {"sev": "SEV2", "policy_flags": ["sensitive-location"]})
	decide(flagged, {"sev": "SEV0"}, ic).allow == true
}
