# Incident lifecycle gate: the runbook's "declared → mitigating → mitigated → resolved" with its
# definitions of done, role minimums and governance review, as machine-enforced rules.
#
# Input:
#   incident:   the incident record (runbook template fields; see docs/policy-authoring.md)
#   transition: {"to": "<status>"}
#   actor:      {"id": "...", "roles": ["ic", "tech_lead", ...]}
# Output (data.gate.incidents.transition.decision):
#   {"allow": bool, "reasons": [why not], "obligations": [what must happen next]}
package gate.incidents.transition

import rego.v1

# Allowed moves. A mitigation that regresses may go back to mitigating.
next_states := {
	"declared": {"mitigating"},
	"mitigating": {"mitigated"},
	"mitigated": {"resolved", "mitigating"},
	"resolved": set(),
}

severities := {"SEV0", "SEV1", "SEV2", "SEV3"}

update_minutes := {"SEV0": 15, "SEV1": 30, "SEV2": 60}

incident := input.incident

from := incident.status

to := input.transition.to

# Flags other than "none" are policy or sensitivity risks.
governance_risk if {
	some flag in incident.policy_flags
	flag != "none"
}

sensitive if "sensitive-location" in incident.policy_flags

assigned(role) if {
	is_string(incident[role])
	trim_space(incident[role]) != ""
}

# Decisions are centralised: the Incident Commander or the Tech Lead moves the incident.
actor_may_decide if {
	some r in input.actor.roles
	r in {"ic", "tech_lead"}
}

deny contains "unknown incident status" if not next_states[from]

deny contains sprintf("transition %s -> %s is not part of the lifecycle", [from, to]) if {
	next_states[from]
	not to in next_states[from]
}

deny contains "severity must be one of SEV0, SEV1, SEV2, SEV3" if not incident.sev in severities

deny contains "only the incident commander or tech lead may change the incident status" if not actor_may_decide

# Minimum viable ICS: IC + Tech Lead + Scribe before any work starts.
deny contains sprintf("role %s must be assigned", [role]) if {
	some role in ["ic", "tech_lead", "scribe"]
	not assigned(role)
}

# If you might be leaking sensitive locations, treat it as SEV0 until proven otherwise.
deny contains "a suspected sensitive-location exposure must be handled as SEV0" if {
	sensitive
	incident.sev != "SEV0"
}

# The governance steward must be included for SEV0/SEV1 governance risk.
deny contains "a governance steward must be assigned for SEV0/SEV1 incidents with governance risk" if {
	incident.sev in {"SEV0", "SEV1"}
	governance_risk
	not assigned("governance_steward")
}

# Definition of done: mitigated.
mitigated_checks := {
	"user_harm_stopped": "user harm must be stopped",
	"monitoring_stable": "monitoring must confirm stability for the agreed window",
	"timeline_coherent": "the incident record needs a coherent timeline to mitigation",
	"next_update_posted": "the next update must state current status and next steps",
}

deny contains sprintf("not mitigated: %s", [msg]) if {
	to == "mitigated"
	some check, msg in mitigated_checks
	not incident.dod.mitigated[check] == true
}

# Definition of done: resolved / closed.
resolved_checks := {
	"root_cause_understood": "the root cause must be understood enough to prevent immediate recurrence",
	"postmortem_scheduled": "a postmortem must be scheduled or completed",
}

deny contains sprintf("not resolved: %s", [msg]) if {
	to == "resolved"
	some check, msg in resolved_checks
	not incident.dod.resolved[check] == true
}

preventive_fix_done if incident.dod.resolved.preventive_fix.merged == true

preventive_fix_done if {
	item := incident.dod.resolved.preventive_fix.action_item
	trim_space(item.owner) != ""
	trim_space(item.due) != ""
}

deny contains "not resolved: a preventive fix must be merged or tracked with an owner and a due date" if {
	to == "resolved"
	not preventive_fix_done
}

# Temporary access paths (breakglass, debug toggles) must be revoked before closure.
deny contains sprintf("not resolved: breakglass grant %s is not revoked", [grant.id]) if {
	to == "resolved"
	some grant in incident.breakglass
	not grant.revoked_at
}

# Governance note: a documented review by a governance steward before closure.
deny contains "not resolved: a governance review by the steward must be documented" if {
	to == "resolved"
	governance_risk
	not governance_review_done
}

governance_review_done if {
	review := incident.governance_review
	review.completed == true
	review.reviewer == incident.governance_steward
	trim_space(review.outcome) != ""
}

obligations contains {"type": "status_update", "every_minutes": update_minutes[incident.sev]} if {
	to in {"mitigating", "mitigated"}
}

obligations contains {"type": "engage", "roles": ["governance_steward", "security_lead"]} if sensitive

obligations contains {"type": "contain", "action": "disable the exposing layer, endpoint or export path"} if {
	sensitive
	to == "mitigating"
}

obligations contains {"type": "postmortem", "action": "complete the blameless postmortem"} if {
	to == "resolved"
	not incident.dod.resolved.postmortem_completed == true
}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
