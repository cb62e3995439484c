# Data-access gate: who may read, export or publish which dataset version, during normal operation
# and during incidents. Fails closed: an unclassified resource, an unknown action or a missing
# subject is a deny.
#
# Input:
#   subject:  {"id": "...", "roles": ["analyst", "responder", "steward", ...], "need_to_know": ["<dataset_id>", ...]}
#   action:   "read" | "export" | "publish"
#   resource: {"dataset_id": "...", "version_id": "...", "classification": "public" | "internal" |
#              "sensitive-location" | "restricted", "license": "ok" | "uncertain"}
#   breakglass: optional {"id", "granted_to", "scope": ["<dataset_id>"], "justification", "expires_at"}
#   now:      RFC 3339 UTC timestamp of the request (e.g. "2026-11-27T10:00:00Z")
# Base data: data.gate.access.quarantine = [{"dataset_id", "version_id", "incident_id"}]
package gate.access.request

import rego.v1

actions := {"read", "export", "publish"}

classifications := {"public", "internal", "sensitive-location", "restricted"}

subject := input.subject

resource := input.resource

roles := {r | some r in subject.roles}

quarantined if {
	some q in data.gate.access.quarantine
	q.dataset_id == resource.dataset_id
	q.version_id == resource.version_id
}

need_to_know if resource.dataset_id in subject.need_to_know

# A breakglass grant counts only when it names this subject and dataset, says why, and has not expired.
breakglass_valid if {
	g := input.breakglass
	g.granted_to == subject.id
	resource.dataset_id in g.scope
	trim_space(g.justification) != ""
	is_string(input.now)
	g.expires_at > input.now
}

deny contains "the request has no authenticated subject" if not is_string(subject.id)

deny contains "unknown action" if not input.action in actions

deny contains "the resource is not classified; access is denied until it is" if {
	not resource.classification in classifications
}

# Quarantine blocks serving; responders may still read the version to investigate it.
deny contains sprintf("dataset version %s/%s is quarantined", [resource.dataset_id, resource.version_id]) if {
	quarantined
	not quarantine_investigation
}

quarantine_investigation if {
	input.action == "read"
	"responder" in roles
}

deny contains "internal data requires an internal role" if {
	resource.classification == "internal"
	count(roles & {"analyst", "responder", "steward", "engineer"}) == 0
}

# Sensitive locations and restricted knowledge: need-to-know, or a valid breakglass grant.
deny contains sprintf("%s data requires need-to-know or a valid breakglass grant", [resource.classification]) if {
	resource.classification in {"sensitive-location", "restricted"}
	not need_to_know
	not breakglass_valid
}

# Sensitive data never leaves through export or publish without the steward.
deny contains sprintf("%s of %s data requires the governance steward", [input.action, resource.classification]) if {
	input.action in {"export", "publish"}
	resource.classification in {"sensitive-location", "restricted"}
	not "steward" in roles
}

deny contains "publishing requires a confirmed license" if {
	input.action in {"export", "publish"}
	resource.license != "ok"
}

obligations contains {"type": "audit_breakglass", "grant": input.breakglass.id} if {
	resource.classification in {"sensitive-location", "restricted"}
	not need_to_know
	breakglass_valid
}

obligations contains {"type": "redact", "fields": ["exact_coordinates"]} if {
	resource.classification == "sensitive-location"
	input.action == "read"
}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
