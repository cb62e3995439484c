package gate.incidents.transition_test

import rego.v1

import data.gate.incidents.transition

# A shallow update: object.union merges nested objects, and these tests replace them whole.
put(obj, patch) := object.union(object.remove(obj, [k | some k, _ in patch]), patch)

now := 1800000000

ic := {"id": "ana", "api_roles": ["responder"]}

tl := {"id": "bo", "api_roles": ["responder"]}

base := {
	"incident_id": "INC-20261127-001",
	"sev": "SEV2",
	"status": "declared",
	"ic": "ana",
	"tech_lead": "bo",
	"scribe": "cy",
	"policy_flags": ["none"],
	"flags_ever_raised": ["none"],
}

mitigation := {
	"harm_stopped_at_unix_s": now - 7200,
	"stable_since_unix_s": now - 7200,
	"stable_window_minutes": 60,
	"next_update_posted_at_unix_s": now - 3600,
}

closure := {
	"root_cause": "bad deploy",
	"preventive_fix": {"owner": "bo", "due_unix_s": now + 86400},
	"postmortem": {"scheduled_unix_s": now + 86400},
}

facts := {"mitigation": mitigation, "closure": closure, "governance_reviews": [], "breakglass": [], "now_unix_s": now}

decide(incident, to, actor) := d if {
	d := transition.decision with input as put(facts, {
	"incident": incident,
	"transition": {"to": to},
		"actor": actor,
	})
}

decide_with(incident, to, extra) := d if {
	d := transition.decision with input as put(put(facts, extra), {
	"incident": incident,
	"transition": {"to": to},
		"actor": ic,
	})
}

at(status) := put(base, {"status": status})

# --- lifecycle ---

test_declared_to_mitigating_is_allowed if {
	d := decide(base, "mitigating", ic)
	d.allow == true
	d.reasons == []
	{"type": "status_update", "every_minutes": 60} in d.obligations
}

test_the_whole_lifecycle_is_allowed if {
	decide(at("mitigating"), "mitigated", tl).allow == true
	decide(at("mitigated"), "resolved", ic).allow == true
}

test_regression_goes_back_to_mitigating if decide(at("mitigated"), "mitigating", ic).allow == true

test_skipping_is_denied if {
	d := decide(base, "resolved", ic)
	"transition declared -> resolved is not part of the lifecycle" in d.reasons
	decide(base, "mitigated", ic).allow == false
	decide(at("mitigating"), "resolved", ic).allow == false
}

test_going_back_to_declared_is_denied if {
	d := decide(at("mitigating"), "declared", ic)
	d.reasons == ["transition mitigating -> declared is not part of the lifecycle"]
}

test_resolved_is_final if {
	d := decide(at("resolved"), "mitigating", ic)
	d.reasons == ["transition resolved -> mitigating is not part of the lifecycle"]
}

test_missing_status_denies if {
	d := decide(object.remove(base, ["status"]), "mitigating", ic)
	d.reasons == ["unknown incident status"]
}

test_missing_target_denies if {
	d := transition.decision with input as put(facts, {"incident": base, "actor": ic, "transition": {}})
	d.reasons == ["the transition must name a status to move to"]
}

test_unknown_or_missing_severity_denies if {
	decide(put(base, {"sev": "P1"}), "mitigating", ic).reasons == ["severity must be one of SEV0, SEV1, SEV2, SEV3"]
	decide(object.remove(base, ["sev"]), "mitigating", ic).reasons == ["severity must be one of SEV0, SEV1, SEV2, SEV3"]
}

# --- who decides ---

test_only_this_incidents_ic_or_tech_lead_decides if {
	d := decide(base, "mitigating", {"id": "cy", "api_roles": ["responder"]})
	d.reasons == ["only the incident commander or tech lead of this incident may change its status"]
}

test_an_admin_is_not_the_ic if {
	d := decide(base, "mitigating", {"id": "root", "api_roles": ["admin"]})
	d.reasons == ["only the incident commander or tech lead of this incident may change its status"]
}

test_missing_actor_denies if {
	d := transition.decision with input as put(facts, {"incident": base, "transition": {"to": "mitigating"}})
	d.reasons == ["only the incident commander or tech lead of this incident may change its status"]
}

test_unassigned_ic_cannot_be_matched_by_a_missing_actor if {
	inc := object.remove(base, ["ic", "tech_lead"])
	d := transition.decision with input as put(facts, {"incident": inc, "transition": {"to": "mitigating"}, "actor": {}})
	"only the incident commander or tech lead of this incident may change its status" in d.reasons
}

# --- roles ---

test_scribe_must_be_assigned if {
	decide(object.remove(base, ["scribe"]), "mitigating", ic).reasons == ["role scribe must be assigned"]
	decide(put(base, {"scribe": " "}), "mitigating", ic).reasons == ["role scribe must be assigned"]
}

test_tech_lead_must_be_assigned if {
	d := decide(object.remove(base, ["tech_lead"]), "mitigating", ic)
	d.reasons == ["role tech_lead must be assigned"]
}

test_governance_risk_at_sev1_needs_a_steward if {
	inc := put(base, {"sev": "SEV1", "policy_flags": ["licensing"]})
	decide(inc, "mitigating", ic).reasons == ["a governance steward must be assigned for SEV0/SEV1 incidents with governance risk"]
	decide(put(inc, {"governance_steward": "gs"}), "mitigating", ic).allow == true
}

test_governance_risk_at_sev2_needs_no_steward if {
	inc := put(base, {"policy_flags": ["licensing"]})
	decide(inc, "mitigating", ic).allow == true
}

test_missing_severity_still_needs_a_steward if {
	inc := put(object.remove(base, ["sev"]), {"policy_flags": ["licensing"]})
	"a governance steward must be assigned for SEV0/SEV1 incidents with governance risk" in decide(inc, "mitigating", ic).reasons
}

test_security_flag_needs_a_security_lead if {
	inc := put(base, {"policy_flags": ["security"]})
	decide(inc, "mitigating", ic).reasons == ["a security lead must be assigned for incidents with a security flag"]
	decide(put(inc, {"security_lead": "sam"}), "mitigating", ic).allow == true
}

# --- SEV0 until proven otherwise ---

test_flag_raised_later_forces_sev0 if {
	inc := put(base, {"sev": "SEV2", "policy_flags": ["sensitive-location"], "governance_steward": "gs"})
	d := decide(inc, "mitigating", ic)
	d.reasons == ["a sensitive-location incident must be SEV0 unless evidence for a lower severity is recorded"]
}

test_recorded_downgrade_evidence_allows_a_lower_severity if {
	inc := put(base, {"sev": "SEV2", "policy_flags": ["policy-bypass"], "sev_evidence_ref": "forensics-42"})
	decide(inc, "mitigating", ic).allow == true
}

test_sensitive_sev0_with_steward_is_allowed_with_obligations if {
	inc := put(base, {"sev": "SEV0", "policy_flags": ["sensitive-location"], "governance_steward": "gs"})
	d := decide(inc, "mitigating", ic)
	d.allow == true
	{"type": "status_update", "every_minutes": 15} in d.obligations
	{"type": "engage", "roles": ["governance_steward", "security_lead"]} in d.obligations
	{"type": "contain", "action": "disable the exposing layer, endpoint or export path"} in d.obligations
}

# --- definition of done: mitigated ---

test_mitigated_needs_evidence if {
	d := transition.decision with input as put(object.remove(facts, ["mitigation"]), {
		"incident": at("mitigating"), "transition": {"to": "mitigated"}, "actor": ic,
	})
	d.reasons == ["not mitigated: no mitigation evidence is recorded"]
}

test_stable_window_below_the_minimum_denies if {
	m := put(mitigation, {"stable_window_minutes": 10})
	d := decide_with(at("mitigating"), "mitigated", {"mitigation": m})
	d.reasons == ["not mitigated: the stable window must be at least 30 minutes for SEV2"]
}

test_stable_window_minimum_is_per_severity if {
	m := put(mitigation, {"stable_window_minutes": 45})
	decide_with(at("mitigating"), "mitigated", {"mitigation": m}).allow == true
	inc := put(at("mitigating"), {"sev": "SEV0"})
	d := decide_with(inc, "mitigated", {"mitigation": m})
	d.reasons == ["not mitigated: the stable window must be at least 60 minutes for SEV0"]
}

test_stable_window_as_text_denies if {
	m := put(mitigation, {"stable_window_minutes": "60"})
	d := decide_with(at("mitigating"), "mitigated", {"mitigation": m})
	"not mitigated: the stable window must be at least 30 minutes for SEV2" in d.reasons
}

test_missing_configuration_denies if {
	not transition.configured_window({}, "SEV2")
	not transition.configured_window({"min_stable_window_minutes": {"SEV2": "30"}}, "SEV2")
	transition.configured_window({"min_stable_window_minutes": {"SEV2": 30}}, "SEV2") == 30
	d := decide(object.remove(at("mitigating"), ["sev"]), "mitigated", ic)
	"not mitigated: no minimum stable window is configured for this severity" in d.reasons
}

test_window_not_yet_elapsed_denies if {
	m := put(mitigation, {"stable_since_unix_s": now - 600, "harm_stopped_at_unix_s": now - 600, "next_update_posted_at_unix_s": now - 60})
	d := decide_with(at("mitigating"), "mitigated", {"mitigation": m})
	d.reasons == ["not mitigated: monitoring has not yet confirmed stability for the whole window"]
}

test_stability_before_harm_stopped_denies if {
	m := put(mitigation, {"stable_since_unix_s": now - 9000})
	d := decide_with(at("mitigating"), "mitigated", {"mitigation": m})
	d.reasons == ["not mitigated: monitoring has not yet confirmed stability for the whole window"]
}

test_harm_stopped_in_the_future_denies if {
	m := put(mitigation, {"harm_stopped_at_unix_s": now + 60})
	d := decide_with(at("mitigating"), "mitigated", {"mitigation": m})
	"not mitigated: user harm must be recorded as stopped, not in the future" in d.reasons
}

test_missing_harm_time_denies if {
	d := decide_with(at("mitigating"), "mitigated", {"mitigation": object.remove(mitigation, ["harm_stopped_at_unix_s"])})
	"not mitigated: user harm must be recorded as stopped, not in the future" in d.reasons
}

test_update_must_follow_harm_stopped if {
	m := put(mitigation, {"next_update_posted_at_unix_s": now - 8000})
	d := decide_with(at("mitigating"), "mitigated", {"mitigation": m})
	d.reasons == ["not mitigated: an update with current status and next steps must be posted after harm stopped"]
	m2 := object.remove(mitigation, ["next_update_posted_at_unix_s"])
	decide_with(at("mitigating"), "mitigated", {"mitigation": m2}).allow == false
}

test_missing_clock_denies if {
	d := transition.decision with input as put(object.remove(facts, ["now_unix_s"]), {
		"incident": at("mitigating"), "transition": {"to": "mitigated"}, "actor": ic,
	})
	d.allow == false
}

# --- definition of done: resolved ---

test_resolved_needs_closure_evidence if {
	d := transition.decision with input as put(object.remove(facts, ["closure"]), {
		"incident": at("mitigated"), "transition": {"to": "resolved"}, "actor": ic,
	})
	d.reasons == ["not resolved: no closure evidence is recorded"]
}

test_resolved_needs_a_root_cause if {
	d := decide_with(at("mitigated"), "resolved", {"closure": object.remove(closure, ["root_cause"])})
	d.reasons == ["not resolved: the root cause must be understood enough to prevent immediate recurrence"]
}

test_preventive_fix_merged_or_tracked if {
	merged := put(closure, {"preventive_fix": {"ref": "PR-7", "merged": true}})
	decide_with(at("mitigated"), "resolved", {"closure": merged}).allow == true
	unmerged := put(closure, {"preventive_fix": {"ref": "PR-7", "merged": false}})
	decide_with(at("mitigated"), "resolved", {"closure": unmerged}).reasons == ["not resolved: a preventive fix must be merged or tracked with an owner and a due date"]
	no_due := put(closure, {"preventive_fix": {"owner": "bo"}})
	decide_with(at("mitigated"), "resolved", {"closure": no_due}).allow == false
	none := object.remove(closure, ["preventive_fix"])
	decide_with(at("mitigated"), "resolved", {"closure": none}).allow == false
}

test_postmortem_scheduled_or_completed if {
	done := put(closure, {"postmortem": {"completed_unix_s": now - 60, "ref": "PM-1"}})
	d := decide_with(at("mitigated"), "resolved", {"closure": done})
	d.allow == true
	not {"type": "postmortem", "action": "complete the blameless postmortem"} in d.obligations
	no_ref := put(closure, {"postmortem": {"completed_unix_s": now - 60}})
	decide_with(at("mitigated"), "resolved", {"closure": no_ref}).reasons == ["not resolved: a postmortem must be scheduled or completed"]
	scheduled := decide(at("mitigated"), "resolved", ic)
	{"type": "postmortem", "action": "complete the blameless postmortem"} in scheduled.obligations
}

test_active_breakglass_blocks_closure if {
	grants := [
		{"id": "bg-1", "revoked": true, "expires_at_unix_s": now + 600},
		{"id": "bg-2", "revoked": false, "expires_at_unix_s": now - 1},
		{"id": "bg-3", "revoked": false, "expires_at_unix_s": now + 600},
	]
	d := decide_with(at("mitigated"), "resolved", {"breakglass": grants})
	d.reasons == ["not resolved: breakglass grant bg-3 is still active"]
}

test_grant_without_expiry_counts_as_active if {
	d := decide_with(at("mitigated"), "resolved", {"breakglass": [{"id": "bg-4", "revoked": false}]})
	d.reasons == ["not resolved: breakglass grant bg-4 is still active"]
}

test_unknown_grants_deny_closure if {
	d := transition.decision with input as put(object.remove(facts, ["breakglass"]), {
		"incident": at("mitigated"), "transition": {"to": "resolved"}, "actor": ic,
	})
	d.reasons == ["not resolved: the incident's breakglass grants are unknown"]
}

governed := put(at("mitigated"), {"sev": "SEV1", "policy_flags": ["licensing"], "flags_ever_raised": ["licensing"], "governance_steward": "gs"})

test_governance_review_by_the_steward_allows_closure if {
	reviews := [{"seq": 1, "reviewer": "gs", "outcome": "approved"}]
	decide_with(governed, "resolved", {"governance_reviews": reviews}).allow == true
}

test_governance_review_required_before_closure if {
	d := decide(governed, "resolved", ic)
	d.reasons == ["not resolved: an approved governance review by the incident's governance steward is required"]
}

test_review_by_someone_else_does_not_count if {
	reviews := [{"seq": 1, "reviewer": "ana", "outcome": "approved"}]
	decide_with(governed, "resolved", {"governance_reviews": reviews}).allow == false
}

test_changes_required_after_approval_blocks_closure if {
	reviews := [{"seq": 1, "reviewer": "gs", "outcome": "approved"}, {"seq": 2, "reviewer": "gs", "outcome": "changes_required"}]
	decide_with(governed, "resolved", {"governance_reviews": reviews}).allow == false
	again := array.concat(reviews, [{"seq": 3, "reviewer": "gs", "outcome": "approved"}])
	decide_with(governed, "resolved", {"governance_reviews": again}).allow == true
}

test_a_flag_once_raised_still_needs_the_review if {
	cleared := put(governed, {"policy_flags": ["none"], "flags_ever_raised": ["none", "sensitive-location"]})
	d := decide(cleared, "resolved", ic)
	d.reasons == ["not resolved: an approved governance review by the incident's governance steward is required"]
}

test_missing_reviews_deny_a_governed_closure if {
	d := transition.decision with input as put(object.remove(facts, ["governance_reviews"]), {
		"incident": governed, "transition": {"to": "resolved"}, "actor": ic,
	})
	d.allow == false
}

test_ungoverned_closure_needs_no_review if decide(at("mitigated"), "resolved", ic).allow == true
