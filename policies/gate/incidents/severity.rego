# Re-severitizing an incident ("use the highest applicable severity; re-severitize as facts change").
#
# Input (composed by the gate):
#   actor:    {"id", "api_roles"}
#   incident: the record (status, sev, ic, tech_lead, policy_flags, ...)
#   change:   {"sev", "evidence_ref"?, "reason"?}
# Output: data.gate.incidents.severity.decision = {"allow", "reasons", "obligations"}
package gate.incidents.severity

import rego.v1

import data.gate.lib

incident := input.incident

change := input.change

flags := {f | some f in incident.policy_flags}

deny contains "only the incident commander or tech lead of this incident may change its severity" if {
	not lib.decides(incident, input.actor)
}

deny contains "a resolved incident is final; its severity cannot change" if incident.status == "resolved"

deny contains "unknown incident status" if not incident.status in lib.statuses

deny contains "severity must be one of SEV0, SEV1, SEV2, SEV3" if not change.sev in lib.severities

deny contains sprintf("the incident is already %s", [change.sev]) if change.sev == incident.sev

# SEV0 until proven otherwise: a downgrade of a SEV0-flagged incident must cite its evidence.
deny contains sprintf("a %s incident stays SEV0 unless an evidence_ref for the downgrade is given", [flag]) if {
	some flag in flags
	flag in lib.sev0_flags
	not change.sev == "SEV0"
	not lib.text(change.evidence_ref)
}

obligations contains {"type": "status_update", "every_minutes": lib.update_minutes[change.sev]}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
