# Shared vocabulary of the runbook policies: severities, flags, incident roles and the predicates
# every package uses to read facts. Facts come from the gate's own records; absent facts never
# satisfy a predicate, so rules built on them deny when a fact is missing.
package gate.lib

import rego.v1

severities := {"SEV0", "SEV1", "SEV2", "SEV3"}

statuses := {"declared", "mitigating", "mitigated", "resolved"}

policy_flags := {"none", "sensitive-location", "culturally-restricted", "policy-bypass", "licensing", "security"}

# The governance note: sensitive locations, culturally restricted knowledge, licensing and any
# bypass of policy boundaries need a Governance Steward and a documented review before closure.
governance_flags := {"sensitive-location", "culturally-restricted", "policy-bypass", "licensing"}

# "If you might be leaking sensitive locations, treat it as SEV0 until proven otherwise"; a trust
# membrane violation is SEV0 by the severity table.
sev0_flags := {"sensitive-location", "culturally-restricted", "policy-bypass"}

# Minutes between status updates per severity; SEV3 updates are as needed.
update_minutes := {"SEV0": 15, "SEV1": 30, "SEV2": 60}

# The people who respond to an incident, as named on its record.
incident_roles := ["ic", "tech_lead", "scribe", "comms", "governance_steward", "security_lead"]

text(x) if {
	is_string(x)
	trim_space(x) != ""
}

assigned(incident, role) if text(incident[role])

# The incident's own decision makers: its Incident Commander or Tech Lead, by name.
decides(incident, actor) if {
	text(actor.id)
	some role in ["ic", "tech_lead"]
	incident[role] == actor.id
}

responds_to(incident, id) if {
	text(id)
	some role in incident_roles
	incident[role] == id
}

# API roles come from the caller's token; admin holds every role.
api_role(actor, role) if role in actor.api_roles

api_role(actor, _) if "admin" in actor.api_roles

open(incident) if {
	incident.status in statuses
	incident.status != "resolved"
}
