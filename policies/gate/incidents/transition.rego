# Incident lifecycle gate: the runbook's "declared → mitigating → mitigated → resolved" with its
# definitions of done, role minimums and governance review, as machine-enforced rules.
#
# Input (composed by the gate from its records; nothing here is the requester's say-so):
#   actor:       {"id", "api_roles"}  the authenticated caller
#   incident:    the record: status, sev, ic, tech_lead, scribe, governance_steward, security_lead,
#                policy_flags, flags_ever_raised, sev_evidence_ref
#   transition:  {"to": "<status>"}
#   mitigation:  the recorded mitigation evidence, absent if none:
#                {"harm_stopped_at_unix_s", "stable_since_unix_s", "stable_window_minutes",
#                 "next_update_posted_at_unix_s"}
#   closure:     the recorded closure evidence, absent if none: {"root_cause",
#                "preventive_fix": {"ref", "merged"} | {"owner", "due_unix_s"},
#                "postmortem": {"scheduled_unix_s"} | {"completed_unix_s", "ref"}}
#   governance_reviews: [{"seq", "reviewer", "outcome"}] in the order they were recorded
#   breakglass:  the grants linked to the incident: [{"id", "revoked", "expires_at_unix_s"}]
#   now_unix_s:  the gate's clock
# Base data: data.gate.incidents.config.min_stable_window_minutes = {"SEV0": n, ...}
# Output (data.gate.incidents.transition.decision): {"allow", "reasons", "obligations"}
package gate.incidents.transition

import rego.v1

import data.gate.lib

# Allowed moves. A mitigation that regresses may go back to mitigating; resolved is final.
next_states := {
	"declared": {"mitigating"},
	"mitigating": {"mitigated"},
	"mitigated": {"resolved", "mitigating"},
	"resolved": set(),
}

incident := input.incident

from := incident.status

to := input.transition.to

now := input.now_unix_s

flags := {f | some f in incident.policy_flags}

ever_flagged := {f | some f in incident.flags_ever_raised} | flags

governance_risk if {
	some flag in ever_flagged
	flag in lib.governance_flags
}

deny contains "unknown incident status" if not next_states[from]

deny contains "the transition must name a status to move to" if not to in lib.statuses

deny contains sprintf("transition %s -> %s is not part of the lifecycle", [from, to]) if {
	next_states[from]
	not to in next_states[from]
}

deny contains "severity must be one of SEV0, SEV1, SEV2, SEV3" if not incident.sev in lib.severities

# Decisions are centralised: this incident's Incident Commander or Tech Lead moves it.
deny contains "only the incident commander or tech lead of this incident may change its status" if {
	not lib.decides(incident, input.actor)
}

# Minimum viable ICS: IC + Tech Lead + Scribe before any work starts.
deny contains sprintf("role %s must be assigned", [role]) if {
	some role in ["ic", "tech_lead", "scribe"]
	not lib.assigned(incident, role)
}

# SEV0 until proven otherwise: a flag raised after declaration cannot leave the incident below SEV0
# unless a severity change recorded the evidence for it.
deny contains sprintf("a %s incident must be SEV0 unless evidence for a lower severity is recorded", [flag]) if {
	some flag in flags
	flag in lib.sev0_flags
	not incident.sev == "SEV0"
	not lib.text(incident.sev_evidence_ref)
}

# The governance steward must be included for SEV0/SEV1 governance risk.
deny contains "a governance steward must be assigned for SEV0/SEV1 incidents with governance risk" if {
	not incident.sev in {"SEV2", "SEV3"}
	some flag in flags
	flag in lib.governance_flags
	not lib.assigned(incident, "governance_steward")
}

deny contains "a security lead must be assigned for incidents with a security flag" if {
	"security" in flags
	not lib.assigned(incident, "security_lead")
}

# Definition of done: mitigated.
deny contains "not mitigated: no mitigation evidence is recorded" if {
	to == "mitigated"
	not input.mitigation
}

deny contains "not mitigated: user harm must be recorded as stopped, not in the future" if {
	to == "mitigated"
	input.mitigation
	not harm_stopped
}

harm_stopped if {
	is_number(now)
	is_number(input.mitigation.harm_stopped_at_unix_s)
	input.mitigation.harm_stopped_at_unix_s <= now
}

deny contains sprintf("not mitigated: the stable window must be at least %v minutes for %s", [min_window, incident.sev]) if {
	to == "mitigated"
	input.mitigation
	min_window := configured_window(data.gate.incidents.config, incident.sev)
	not window_at_least(min_window)
}

window_at_least(min_window) if {
	is_number(input.mitigation.stable_window_minutes)
	input.mitigation.stable_window_minutes >= min_window
}

deny contains "not mitigated: no minimum stable window is configured for this severity" if {
	to == "mitigated"
	not configured_window(data.gate.incidents.config, incident.sev)
}

configured_window(cfg, sev) := n if {
	n := cfg.min_stable_window_minutes[sev]
	is_number(n)
}

# Monitoring confirms stability for the window: it began after harm stopped and has elapsed.
deny contains "not mitigated: monitoring has not yet confirmed stability for the whole window" if {
	to == "mitigated"
	input.mitigation
	not window_elapsed
}

window_elapsed if {
	m := input.mitigation
	is_number(now)
	is_number(m.stable_window_minutes)
	is_number(m.stable_since_unix_s)
	is_number(m.harm_stopped_at_unix_s)
	m.stable_since_unix_s >= m.harm_stopped_at_unix_s
	now - m.stable_since_unix_s >= m.stable_window_minutes * 60
}

deny contains "not mitigated: an update with current status and next steps must be posted after harm stopped" if {
	to == "mitigated"
	input.mitigation
	not update_posted
}

update_posted if {
	m := input.mitigation
	is_number(now)
	is_number(m.next_update_posted_at_unix_s)
	is_number(m.harm_stopped_at_unix_s)
	m.next_update_posted_at_unix_s >= m.harm_stopped_at_unix_s
	m.next_update_posted_at_unix_s <= now
}

# Definition of done: resolved / closed.
deny contains "not resolved: no closure evidence is recorded" if {
	to == "resolved"
	not input.closure
}

deny contains "not resolved: the root cause must be understood enough to prevent immediate recurrence" if {
	to == "resolved"
	input.closure
	not lib.text(input.closure.root_cause)
}

deny contains "not resolved: a preventive fix must be merged or tracked with an owner and a due date" if {
	to == "resolved"
	input.closure
	not preventive_fix_done
}

preventive_fix_done if {
	lib.text(input.closure.preventive_fix.ref)
	input.closure.preventive_fix.merged == true
}

preventive_fix_done if {
	lib.text(input.closure.preventive_fix.owner)
	is_number(input.closure.preventive_fix.due_unix_s)
}

deny contains "not resolved: a postmortem must be scheduled or completed" if {
	to == "resolved"
	input.closure
	not postmortem_planned
}

postmortem_planned if is_number(input.closure.postmortem.scheduled_unix_s)

postmortem_planned if {
	is_number(input.closure.postmortem.completed_unix_s)
	lib.text(input.closure.postmortem.ref)
}

# Temporary access paths must be revoked before closure; an expired grant is no access path.
deny contains sprintf("not resolved: breakglass grant %s is still active", [grant.id]) if {
	to == "resolved"
	some grant in input.breakglass
	not grant_inactive(grant)
}

deny contains "not resolved: the incident's breakglass grants are unknown" if {
	to == "resolved"
	not is_array(input.breakglass)
}

grant_inactive(grant) if grant.revoked == true

grant_inactive(grant) if {
	is_number(now)
	is_number(grant.expires_at_unix_s)
	grant.expires_at_unix_s <= now
}

# Governance note: the incident's own steward approved, and did not ask for changes since.
deny contains "not resolved: an approved governance review by the incident's governance steward is required" if {
	to == "resolved"
	governance_risk
	not governance_approved
}

governance_approved if {
	steward := incident.governance_steward
	lib.text(steward)
	seqs := [r.seq | some r in input.governance_reviews; r.reviewer == steward]
	some last in input.governance_reviews
	last.reviewer == steward
	last.seq == max(seqs)
	last.outcome == "approved"
}

obligations contains {"type": "status_update", "every_minutes": lib.update_minutes[incident.sev]} if {
	to in {"mitigating", "mitigated"}
}

obligations contains {"type": "engage", "roles": ["governance_steward", "security_lead"]} if "sensitive-location" in flags

obligations contains {"type": "contain", "action": "disable the exposing layer, endpoint or export path"} if {
	"sensitive-location" in flags
	to == "mitigating"
}

obligations contains {"type": "postmortem", "action": "complete the blameless postmortem"} if {
	to == "resolved"
	not is_number(input.closure.postmortem.completed_unix_s)
}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
