# Breakglass: time-boxed access to protected datasets for an incident, justified and recorded.
#
# Input (composed by the gate):
#   actor:    {"id", "api_roles"}
#   grant:    {"subject", "datasets", "justification", "duration_minutes"}
#   incident: the linked incident record, absent if unknown
#   subject:  the subject record of the grantee, absent if unknown
#   datasets_known: whether every dataset named is registered
# Base data: data.gate.access.config.breakglass_max_minutes (default 240)
# Output: data.gate.access.breakglass.decision = {"allow", "reasons", "obligations"}
package gate.access.breakglass

import rego.v1

import data.gate.lib

max_minutes := configured_max(data.gate.access.config)

# The bundle's configuration sets the maximum; 240 minutes when it is silent. A configured value
# that is not a number makes every duration fail the bound below.
configured_max(cfg) := object.get(cfg, "breakglass_max_minutes", 240)

grant := input.grant

incident := input.incident

deny contains "a breakglass grant must be linked to a known incident" if not lib.text(incident.incident_id)

deny contains "a breakglass grant needs an open incident" if {
	lib.text(incident.incident_id)
	not lib.open(incident)
}

deny contains "a breakglass grant needs a justification" if not lib.text(grant.justification)

deny contains sprintf("duration_minutes must be between 1 and %v", [max_minutes]) if not duration_ok

duration_ok if {
	is_number(max_minutes)
	is_number(grant.duration_minutes)
	grant.duration_minutes >= 1
	grant.duration_minutes <= max_minutes
}

deny contains "only the incident commander of this incident or a steward may grant breakglass" if not may_grant

may_grant if {
	lib.text(input.actor.id)
	input.actor.id == incident.ic
}

may_grant if lib.api_role(input.actor, "steward")

deny contains "nobody may grant breakglass to themselves" if grant.subject == input.actor.id

deny contains "unknown subject" if not lib.text(input.subject.id)

deny contains "a grant must name at least one dataset" if not datasets_named

datasets_named if {
	is_array(grant.datasets)
	count(grant.datasets) > 0
	every d in grant.datasets {
		lib.text(d)
	}
}

deny contains "a grant may only name registered datasets" if not input.datasets_known == true

obligations contains {"type": "revoke", "action": "revoke the grant when access is no longer needed"}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
