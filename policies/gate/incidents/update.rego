# Editing an incident record (PATCH): the IC assigns roles ("owns process; assigns roles"), the
# record stays editable until resolution, and status and severity never change here.
#
# Input (composed by the gate):
#   actor:    {"id", "api_roles"}
#   incident: the record before the change
#   changes:  {"<field>": <new value>} (the merge patch, after validation)
# Output: data.gate.incidents.update.decision = {"allow", "reasons", "obligations"}
package gate.incidents.update

import rego.v1

import data.gate.lib

incident := input.incident

changed := object.keys(input.changes)

role_changes := {role | some role in lib.incident_roles; role in changed}

deny contains "only a responder may edit an incident" if not lib.api_role(input.actor, "responder")

deny contains "a resolved incident is final; its record cannot change" if not lib.open(incident)

deny contains "status and severity change only through a transition" if {
	some field in changed
	field in {"status", "sev"}
}

# Until an IC is assigned, any responder may assign roles (typically claiming IC); after that the IC does.
deny contains sprintf("only the incident commander may assign %s", [concat(", ", sort([r | some r in role_changes]))]) if {
	count(role_changes) > 0
	lib.assigned(incident, "ic")
	not input.actor.id == incident.ic
}

deny contains "the changes are unknown" if not is_object(input.changes)

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [],
}
