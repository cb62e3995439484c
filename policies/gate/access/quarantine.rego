# Quarantining a dataset version ("remove from latest pointers, block serving"), linked to the
# incident that contains it.
#
# Input (composed by the gate):
#   actor:      {"id", "api_roles"}
#   quarantine: {"dataset_id", "version_id", "reason"}
#   incident:   the linked incident record, absent if unknown
#   dataset:    the dataset record, absent if unknown
#   active:     whether this version is already quarantined by this incident
# Output: data.gate.access.quarantine.decision = {"allow", "reasons", "obligations"}
package gate.access.quarantine

import rego.v1

import data.gate.lib

deny contains "only a responder may quarantine a dataset version" if not lib.api_role(input.actor, "responder")

deny contains "a quarantine must be linked to a known incident" if not lib.text(input.incident.incident_id)

deny contains "the linked incident is resolved; open an incident to quarantine" if {
	lib.text(input.incident.incident_id)
	not lib.open(input.incident)
}

deny contains "unknown dataset" if not lib.text(input.dataset.dataset_id)

deny contains "a quarantine needs a reason" if not lib.text(input.quarantine.reason)

deny contains "a version to quarantine must be named" if not lib.text(input.quarantine.version_id)

deny contains "this incident already quarantines this version" if input.active == true

deny contains "whether the version is already quarantined is unknown" if not is_boolean(input.active)

obligations contains {"type": "roll_forward", "action": "publish a corrected version; do not edit in place"}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
