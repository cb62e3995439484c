# Releasing a quarantine: the steward lifts it, ideally pointing at the corrected version.
#
# Input (composed by the gate):
#   actor:       {"id", "api_roles"}
#   quarantine:  the active quarantine {"dataset_id", "version_id", "incident_id"}, absent if none
#   release:     {"reason", "replacement_version"?}
#   replacement_quarantined: whether the replacement version is itself quarantined (when one is named)
# Output: data.gate.access.release.decision = {"allow", "reasons", "obligations"}
package gate.access.release

import rego.v1

import data.gate.lib

deny contains "only a steward may release a quarantine" if not lib.api_role(input.actor, "steward")

deny contains "the version is not quarantined" if not lib.text(input.quarantine.version_id)

deny contains "a release needs a reason" if not lib.text(input.release.reason)

deny contains "the replacement must be another version" if {
	input.release.replacement_version == input.quarantine.version_id
}

deny contains "the replacement version must be named by its id" if {
	r := input.release.replacement_version
	not lib.text(r)
}

deny contains "the replacement version is itself quarantined" if {
	lib.text(input.release.replacement_version)
	not input.replacement_quarantined == false
}

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"obligations": [],
}
