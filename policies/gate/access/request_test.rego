package gate.access.request_test

import rego.v1

import data.gate.access.request

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

now := 1800000000

analyst := {"id": "ana", "roles": ["analyst"], "need_to_know": []}

rivers := {"dataset_id": "rivers", "classification": "public", "license": "ok", "labels": []}

sites := {"dataset_id": "sites", "classification": "sensitive-location", "license": "ok", "labels": []}

lore := {"dataset_id": "lore", "classification": "culturally-restricted", "license": "ok", "labels": []}

req(subject, action, dataset) := {
	"actor": {"id": "portal", "api_roles": ["client"]},
	"subject": subject, "action": action, "dataset": dataset, "version_id": "v1",
	"quarantines": [], "now_unix_s": now,
}

decide(r) := d if {
	d := request.decision with input as r
}

test_public_read_is_allowed if decide(req(analyst, "read", rivers)) == {"allow": true, "reasons": [], "obligations": []}

test_every_action_on_public_data_is_allowed if {
	every a in ["read", "export", "publish", "serve"] {
		decide(req(analyst, a, rivers)).allow == true
	}
}

test_unknown_action_denies if decide(req(analyst, "delete", rivers)).reasons == ["unknown action"]

test_unknown_subject_denies if {
	decide(object.remove(req(analyst, "read", rivers), ["subject"])).reasons == ["unknown subject"]
}

test_unknown_dataset_denies if {
	d := decide(object.remove(req(analyst, "read", rivers), ["dataset"]))
	d.reasons == ["unknown dataset"]
}

test_missing_version_denies if {
	d := decide(object.remove(req(analyst, "read", rivers), ["version_id"]))
	d.reasons == ["the request names no dataset version"]
}

test_unclassified_dataset_denies if {
	d := decide(req(analyst, "read", object.remove(rivers, ["classification"])))
	d.reasons == ["the dataset is not classified; access is denied until it is"]
}

test_missing_licence_denies_even_a_read if {
	d := decide(req(analyst, "read", object.remove(rivers, ["license"])))
	d.reasons == ["the dataset's licence is not recorded; access is denied until it is"]
	decide(req(analyst, "export", object.remove(rivers, ["license"]))).allow == false
}

test_uncertain_or_breached_licence_blocks_outbound_actions if {
	every lic in ["uncertain", "breach"] {
		every a in ["export", "publish", "serve"] {
			decide(req(analyst, a, put(rivers, {"license": lic}))).reasons == [sprintf("licence %s blocks %s", [lic, a])]
		}
		decide(req(analyst, "read", put(rivers, {"license": lic}))).allow == true
	}
}

test_internal_data_needs_an_internal_role if {
	internal := put(rivers, {"classification": "internal"})
	decide(req(analyst, "read", internal)).allow == true
	outsider := {"id": "ext", "roles": ["partner"], "need_to_know": []}
	decide(req(outsider, "read", internal)).reasons == ["internal data requires an internal role"]
	decide(req(object.remove(outsider, ["roles"]), "read", internal)).allow == false
}

# --- quarantine ---

quarantined(r) := put(r, {"quarantines": [{"incident_id": "INC-20261127-001", "responders": ["ana", "bo"]}]})

test_quarantined_version_is_never_served_exported_or_published if {
	every a in ["serve", "export", "publish"] {
		d := decide(quarantined(req(analyst, a, rivers)))
		d.reasons == ["dataset version rivers/v1 is quarantined by INC-20261127-001"]
	}
}

test_responders_of_the_linked_incident_may_read_a_quarantined_version if {
	decide(quarantined(req(analyst, "read", rivers))).allow == true
	other := {"id": "zed", "roles": ["analyst", "responder"], "need_to_know": []}
	decide(quarantined(req(other, "read", rivers))).allow == false
}

test_unknown_quarantine_state_denies if {
	d := decide(object.remove(req(analyst, "read", rivers), ["quarantines"]))
	d.reasons == ["the quarantine state of the version is unknown"]
}

# --- protected data ---

test_sensitive_location_needs_need_to_know if {
	d := decide(req(analyst, "read", sites))
	d.reasons == ["sensitive-location data requires need-to-know or a valid breakglass grant"]
	cleared := put(analyst, {"need_to_know": ["sites"]})
	r := decide(req(cleared, "read", sites))
	r.allow == true
	r.obligations == [{"type": "redact", "fields": ["exact_coordinates"]}]
}

test_culturally_restricted_read_is_redacted if {
	cleared := put(analyst, {"need_to_know": ["lore"]})
	d := decide(req(cleared, "read", lore))
	d.obligations == [{"type": "redact", "fields": ["restricted_knowledge"]}]
	decide(req(analyst, "read", lore)).allow == false
}

test_missing_need_to_know_denies if {
	d := decide(req(object.remove(analyst, ["need_to_know"]), "read", sites))
	d.allow == false
}

test_export_of_protected_data_needs_the_steward if {
	cleared := put(analyst, {"need_to_know": ["sites"]})
	d := decide(req(cleared, "export", sites))
	d.reasons == ["export of sensitive-location data requires the governance steward"]
	steward := put(cleared, {"roles": ["steward"]})
	decide(req(steward, "export", sites)).allow == true
	decide(req(steward, "publish", sites)).allow == true
}

grant := {"id": "bg-1", "subject": "ana", "datasets": ["sites"], "incident": {"status": "mitigating"}, "revoked": false, "expires_at_unix_s": now + 600}

with_grant(r, g) := put(r, {"breakglass": g, "breakglass_requested": true})

test_valid_breakglass_grant_allows_a_read_with_audit if {
	d := decide(with_grant(req(analyst, "read", sites), grant))
	d.allow == true
	{"type": "audit_breakglass", "grant": "bg-1"} in d.obligations
	{"type": "redact", "fields": ["exact_coordinates"]} in d.obligations
}

test_revoked_expired_foreign_or_closed_grants_count_for_nothing if {
	every g in [
		put(grant, {"revoked": true}),
		put(grant, {"expires_at_unix_s": now}),
		put(grant, {"subject": "bo"}),
		put(grant, {"datasets": ["lore"]}),
		put(grant, {"incident": {"status": "resolved"}}),
		object.remove(grant, ["incident"]),
		object.remove(grant, ["expires_at_unix_s"]),
		object.remove(grant, ["revoked"]),
	] {
		d := decide(with_grant(req(analyst, "read", sites), g))
		"sensitive-location data requires need-to-know or a valid breakglass grant" in d.reasons
		"the breakglass grant is not valid for this subject and dataset" in d.reasons
	}
}

test_grant_without_clock_denies if {
	d := decide(object.remove(with_grant(req(analyst, "read", sites), grant), ["now_unix_s"]))
	d.allow == false
}

test_named_but_unknown_grant_denies if {
	cleared := put(analyst, {"need_to_know": ["sites"]})
	d := decide(put(req(cleared, "read", sites), {"breakglass_requested": true}))
	d.reasons == ["the breakglass grant is not valid for this subject and dataset"]
}

test_grant_does_not_lift_the_steward_rule_for_export if {
	d := decide(with_grant(req(analyst, "export", sites), grant))
	d.reasons == ["export of sensitive-location data requires the governance steward"]
}
