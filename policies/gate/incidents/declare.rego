# Declaring an incident: the record the responder opens must be one the runbook can run.
#
# Input (composed by the gate):
#   actor:    {"id", "api_roles"}  the authenticated caller
#   incident: the proposed record (runbook template fields: sev, title, roles, policy_flags, ...)
# Output: data.gate.incidents.declare.decision = {"allow", "reasons", "obligations"}
package gate.incidents.declare

import rego.v1

import data.gate.lib

incident := input.incident

flags := {f | some f in incident.policy_flags}

deny contains "only a responder may declare an incident" if not lib.api_role(input.actor, "responder")

deny contains "the declaring caller is not identified" if not lib.text(input.actor.id)

deny contains "severity must be one of SEV0, SEV1, SEV2, SEV3" if not incident.sev in lib.severities

deny contains "an incident needs a title" if not lib.text(incident.title)

deny contains "policy_flags must list at least one known flag (none if there is no policy risk)" if not flags_known

flags_known if {
	is_array(incident.policy_flags)
	count(incident.policy_flags) > 0
	every f in incident.policy_flags {
		f in lib.policy_flags
	}
}

deny contains "policy flag none cannot be combined with other flags" if {
	"none" in flags
	count(flags) > 1
}

# A new incident carrying a SEV0 flag has no evidence yet that would justify less.
deny contains sprintf("a %s incident must be declared SEV0", [flag]) if {
	some flag in flags
	flag in lib.sev0_flags
	not incident.sev == "SEV0"
}

obligations contains {"type": "status_update", "every_minutes": lib.update_minutes[incident.sev]}

obligations contains {"type": "assign_roles", "roles": ["ic", "tech_lead", "scribe"]}

obligations contains {"type": "engage", "roles": ["governance_steward"]} if {
	some flag in flags
	flag in lib.governance_flags
}

obligations contains {"type": "engage", "roles": ["security_lead"]} if "security" in flags

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
