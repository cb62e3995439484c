# A governance review: counts only when the incident's own Governance Steward records it.
#
# Input (composed by the gate):
#   actor:    {"id", "api_roles"}
#   incident: the record (status, governance_steward, ...)
#   review:   {"outcome", "notes"?}
# Output: data.gate.incidents.review.decision = {"allow", "reasons", "obligations"}
package gate.incidents.review

import rego.v1

import data.gate.lib

incident := input.incident

deny contains "only a steward may record a governance review" if not lib.api_role(input.actor, "steward")

deny contains "only the incident's governance steward may record its governance review" if {
	not lib.text(incident.governance_steward)
}

deny contains "only the incident's governance steward may record its governance review" if {
	lib.text(incident.governance_steward)
	not input.actor.id == incident.governance_steward
}

deny contains "a resolved incident is final; review it before closure" if not lib.open(incident)

deny contains "outcome must be approved or changes_required" if {
	not input.review.outcome in {"approved", "changes_required"}
}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [],
}
