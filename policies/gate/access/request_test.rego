package gate.access.request_test

import rego.v1

import data.gate.access.request

analyst := {"id": "ana", "roles": ["analyst"], "need_to_know": []}

req(subject, action, resource) := {"subject": subject, "action": action, "resource": resource, "now": "2026-11-27T10:00:00Z"}

public_v1 := {"dataset_id": "rivers", "version_id": "v1", "classification": "public", "license": "ok"}

sites := {"dataset_id": "sites", "version_id": "v3", "classification": "sensitive-location", "license": "ok"}

test_public_read_is_allowed if {
	request.decision.allow with input as req(analyst, "read", public_v1)
}

test_unclassified_is_denied if {
	d := request.decision with input as req(analyst, "read", object.remove(public_v1, ["classification"]))
	d.allow == false
	"the resource is not classified; access is denied until it is" in d.reasons
}

test_missing_subject_is_denied if {
	d := request.decision with input as {"action": "read", "resource": public_v1}
	d.allow == false
	"the request has no authenticated subject" in d.reasons
}

test_unknown_action_is_denied if {
	not request.decision.allow with input as req(analyst, "delete", public_v1)
}

test_quarantined_version_is_not_served if {
	parcels := {"dataset_id": "parcels", "version_id": "2026-10-01", "classification": "public", "license": "ok"}
	d := request.decision with input as req(analyst, "read", parcels)
	d.reasons == ["dataset version parcels/2026-10-01 is quarantined"]
}

test_responder_may_read_quarantined_version if {
	parcels := {"dataset_id": "parcels", "version_id": "2026-10-01", "classification": "public", "license": "ok"}
	responder := {"id": "rex", "roles": ["responder"], "need_to_know": []}
	request.decision.allow with input as req(responder, "read", parcels)
	not request.decision.allow with input as req(responder, "export", parcels)
}

test_sensitive_location_needs_need_to_know if {
	d := request.decision with input as req(analyst, "read", sites)
	d.reasons == ["sensitive-location data requires need-to-know or a valid breakglass grant"]
	insider := object.union(analyst, {"need_to_know": ["sites"]})
	ok := request.decision with input as req(insider, "read", sites)
	ok.allow == true
	{"type": "redact", "fields": ["exact_coordinates"]} in ok.obligations
}

test_breakglass_grants_access_and_is_audited if {
	grant := {"id": "bg-7", "granted_to": "ana", "scope": ["sites"], "justification": "INC-20261127-001 containment", "expires_at": "2026-11-27T12:00:00Z"}
	d := request.decision with input as object.union(req(analyst, "read", sites), {"breakglass": grant})
	d.allow == true
	{"type": "audit_breakglass", "grant": "bg-7"} in d.obligations
}

test_expired_breakglass_is_ignored if {
	grant := {"id": "bg-7", "granted_to": "ana", "scope": ["sites"], "justification": "x", "expires_at": "2026-11-27T09:00:00Z"}
	not request.decision.allow with input as object.union(req(analyst, "read", sites), {"breakglass": grant})
}

test_breakglass_without_justification_is_ignored if {
	grant := {"id": "bg-7", "granted_to": "ana", "scope": ["sites"], "justification": " ", "expires_at": "2026-11-27T12:00:00Z"}
	not request.decision.allow with input as object.union(req(analyst, "read", sites), {"breakglass": grant})
}

test_sensitive_export_requires_steward if {
	insider := object.union(analyst, {"need_to_know": ["sites"]})
	d := request.decision with input as req(insider, "export", sites)
	d.reasons == ["export of sensitive-location data requires the governance steward"]
	steward := {"id": "gs", "roles": ["steward"], "need_to_know": ["sites"]}
	request.decision.allow with input as req(steward, "export", sites)
}

test_uncertain_license_blocks_publishing if {
	d := request.decision with input as req(analyst, "publish", object.union(public_v1, {"license": "uncertain"}))
	d.reasons == ["publishing requires a confirmed license"]
}

test_internal_data_needs_internal_role if {
	internal := object.union(public_v1, {"classification": "internal"})
	not request.decision.allow with input as req({"id": "guest", "roles": [], "need_to_know": []}, "read", internal)
	request.decision.allow with input as req(analyst, "read", internal)
}
