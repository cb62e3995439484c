# Data-access gate: who may read, export, publish or serve which dataset version, during normal
# operation and during incidents. Every fact comes from the gate's records; a missing fact denies.
#
# Input (composed by the gate for POST /v1/access):
#   actor:       {"id", "api_roles"}  the client asking on the subject's behalf
#   subject:     the subject record {"id", "roles", "need_to_know": ["<dataset_id>"]}, absent if unknown
#   action:      "read" | "export" | "publish" | "serve"
#   dataset:     the dataset record {"dataset_id", "classification", "license", "labels", "owner"},
#                absent if unknown
#   version_id:  the requested version, absent if not given
#   quarantines: the active quarantines of that version: [{"incident_id", "responders": [ids]}]
#   breakglass:  the grant named by the request, absent if none or unknown:
#                {"id", "subject", "datasets", "incident": {"status"}, "revoked", "expires_at_unix_s"}
#   breakglass_requested: true when the request named a grant (found or not)
#   now_unix_s:  the gate's clock
# Output (data.gate.access.request.decision): {"allow", "reasons", "obligations"}
package gate.access.request

import rego.v1

import data.gate.lib

actions := {"read", "export", "publish", "serve"}

classifications := {"public", "internal", "sensitive-location", "culturally-restricted", "restricted"}

licenses := {"ok", "uncertain", "breach"}

# Classifications that need need-to-know or a valid breakglass grant, and the steward to leave.
protected := {"sensitive-location", "culturally-restricted", "restricted"}

# Actions that put data in front of someone outside the gate.
outbound := {"export", "publish", "serve"}

subject := input.subject

dataset := input.dataset

roles := {r | some r in subject.roles}

deny contains "unknown subject" if not lib.text(subject.id)

deny contains "unknown action" if not input.action in actions

deny contains "unknown dataset" if not lib.text(dataset.dataset_id)

deny contains "the request names no dataset version" if not lib.text(input.version_id)

deny contains "the dataset is not classified; access is denied until it is" if {
	lib.text(dataset.dataset_id)
	not dataset.classification in classifications
}

deny contains "the dataset's licence is not recorded; access is denied until it is" if {
	lib.text(dataset.dataset_id)
	not dataset.license in licenses
}

deny contains "the quarantine state of the version is unknown" if not is_array(input.quarantines)

# A quarantined version is never served, exported or published. Responders of the incident that
# quarantined it may still read it to investigate.
deny contains sprintf("dataset version %s/%s is quarantined by %s", [dataset.dataset_id, input.version_id, q.incident_id]) if {
	some q in input.quarantines
	not investigates(q)
}

investigates(q) if {
	input.action == "read"
	subject.id in q.responders
}

deny contains sprintf("licence %s blocks %s", [dataset.license, input.action]) if {
	input.action in outbound
	dataset.license in {"uncertain", "breach"}
}

deny contains "internal data requires an internal role" if {
	dataset.classification == "internal"
	count(roles & {"analyst", "responder", "steward", "engineer"}) == 0
}

deny contains sprintf("%s data requires need-to-know or a valid breakglass grant", [dataset.classification]) if {
	dataset.classification in protected
	not need_to_know
	not breakglass_valid
}

# Protected data never leaves through export or publish (or serve) without the steward.
deny contains sprintf("%s of %s data requires the governance steward", [input.action, dataset.classification]) if {
	input.action in outbound
	dataset.classification in protected
	not "steward" in roles
}

deny contains "the breakglass grant is not valid for this subject and dataset" if {
	input.breakglass_requested == true
	not breakglass_valid
}

need_to_know if dataset.dataset_id in subject.need_to_know

# A grant counts only for its subject and datasets, while its incident is open, unrevoked and unexpired.
breakglass_valid if {
	g := input.breakglass
	lib.text(g.id)
	g.subject == subject.id
	dataset.dataset_id in g.datasets
	lib.open(g.incident)
	g.revoked == false
	is_number(input.now_unix_s)
	is_number(g.expires_at_unix_s)
	g.expires_at_unix_s > input.now_unix_s
}

obligations contains {"type": "audit_breakglass", "grant": input.breakglass.id} if {
	dataset.classification in protected
	not need_to_know
	breakglass_valid
}

obligations contains {"type": "redact", "fields": ["exact_coordinates"]} if {
	dataset.classification == "sensitive-location"
	input.action == "read"
}

obligations contains {"type": "redact", "fields": ["restricted_knowledge"]} if {
	dataset.classification == "culturally-restricted"
	input.action == "read"
}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [o | some o in obligations],
}
