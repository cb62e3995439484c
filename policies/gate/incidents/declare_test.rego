package gate.incidents.declare_test

import rego.v1

import data.gate.incidents.declare

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

responder := {"id": "ana", "api_roles": ["responder"]}

outage := {"sev": "SEV2", "title": "API 5xx spike", "policy_flags": ["none"]}

decide(incident, actor) := d if {
	d := declare.decision with input as {"actor": actor, "incident": incident}
}

test_responder_declares_an_outage if {
	d := decide(outage, responder)
	d.allow == true
	{"type": "status_update", "every_minutes": 60} in d.obligations
	{"type": "assign_roles", "roles": ["ic", "tech_lead", "scribe"]} in d.obligations
}

test_client_may_not_declare if {
	d := decide(outage, {"id": "c", "api_roles": ["client"]})
	d.reasons == ["only a responder may declare an incident"]
}

test_admin_may_declare if decide(outage, {"id": "root", "api_roles": ["admin"]}).allow == true

test_missing_actor_denies if {
	d := declare.decision with input as {"incident": outage}
	"the declaring caller is not identified" in d.reasons
	"only a responder may declare an incident" in d.reasons
}

test_unknown_severity_denies if {
	d := decide(put(outage, {"sev": "P1"}), responder)
	d.reasons == ["severity must be one of SEV0, SEV1, SEV2, SEV3"]
}

test_missing_severity_denies if {
	d := decide(object.remove(outage, ["sev"]), responder)
	d.reasons == ["severity must be one of SEV0, SEV1, SEV2, SEV3"]
}

test_missing_title_denies if {
	d := decide(object.remove(outage, ["title"]), responder)
	d.reasons == ["an incident needs a title"]
	decide(put(outage, {"title": "  "}), responder).allow == false
}

test_missing_flags_deny if {
	d := decide(object.remove(outage, ["policy_flags"]), responder)
	d.reasons == ["policy_flags must list at least one known flag (none if there is no policy risk)"]
	decide(put(outage, {"policy_flags": []}), responder).allow == false
	decide(put(outage, {"policy_flags": ["license-uncertain"]}), responder).allow == false
}

test_none_cannot_hide_a_flag if {
	d := decide(put(outage, {"sev": "SEV0", "policy_flags": ["none", "security"]}), responder)
	d.reasons == ["policy flag none cannot be combined with other flags"]
}

test_sensitive_location_below_sev0_denies if {
	d := decide(put(outage, {"sev": "SEV1", "policy_flags": ["sensitive-location"]}), responder)
	d.reasons == ["a sensitive-location incident must be declared SEV0"]
}

test_culturally_restricted_and_bypass_below_sev0_deny if {
	d := decide(put(outage, {"sev": "SEV3", "policy_flags": ["culturally-restricted", "policy-bypass"]}), responder)
	d.reasons == ["a culturally-restricted incident must be declared SEV0", "a policy-bypass incident must be declared SEV0"]
}

test_sensitive_location_at_sev0_is_allowed_and_engages_the_steward if {
	d := decide(put(outage, {"sev": "SEV0", "policy_flags": ["sensitive-location"]}), responder)
	d.allow == true
	{"type": "engage", "roles": ["governance_steward"]} in d.obligations
	{"type": "status_update", "every_minutes": 15} in d.obligations
}

test_licensing_and_security_do_not_force_sev0 if {
	d := decide(put(outage, {"policy_flags": ["licensing", "security"]}), responder)
	d.allow == true
	{"type": "engage", "roles": ["security_lead"]} in d.obligations
}
