# A realistic change-approval policy for benchmarks (not shipped): about twenty rules over a
# change request of a dozen resources, with partial sets, comprehensions, `every` and sprintf,
# the shape of what a platform team gates deployments with.
#
# Input: {"change": {"id", "author", "risk": "low|medium|high", "window": {"start", "end"},
#         "environment", "resources": [{"id", "type", "env", "owner", "labels": {...},
#         "backup_verified"?, "public"?, "encrypted"?, "cost_delta"}], "approvals": [{"user",
#         "team", "decision"}], "tickets": [...], "submitted_at"}}
# Data:  data.bench.settings = {"teams": {...}, "frozen_envs": [...], "required_labels": [...],
#         "max_cost_delta": n, "risk_approvals": {"low": 0, "medium": 1, "high": 2}}
package bench.change

import rego.v1

change := input.change

config := data.bench.settings

resources := change.resources

approvers := {a.user | some a in change.approvals; a.decision == "approve"}

rejecters := {a.user | some a in change.approvals; a.decision == "reject"}

approving_teams := {a.team | some a in change.approvals; a.decision == "approve"; a.user != change.author}

independent_approvers := approvers - {a | a := change.author}

resource_ids := [r.id | some r in resources]

prod_resources := [r | some r in resources; r.env == "prod"]

owners := {r.owner | some r in resources}

total_cost_delta := sum([r.cost_delta | some r in resources])

required_approvals := config.risk_approvals[change.risk]

deny contains "the change has no author" if not is_string(change.author)

deny contains "the risk level is missing or unknown" if not change.risk in object.keys(config.risk_approvals)

deny contains "the change touches no resources" if count(resources) == 0

deny contains sprintf("%d independent approvals needed for %s risk, %d given", [required_approvals, change.risk, count(independent_approvers)]) if {
	count(independent_approvers) < required_approvals
}

deny contains sprintf("rejected by %s", [concat(", ", sort(rejecters))]) if count(rejecters) > 0

deny contains sprintf("resource %s: database without a verified backup", [r.id]) if {
	some r in resources
	r.type == "database"
	not r.backup_verified == true
}

deny contains sprintf("resource %s: public bucket", [r.id]) if {
	some r in resources
	r.type == "bucket"
	r.public == true
}

deny contains sprintf("resource %s: not encrypted", [r.id]) if {
	some r in resources
	r.type in {"database", "bucket", "volume"}
	not r.encrypted == true
}

deny contains sprintf("resource %s: missing label %s", [r.id, l]) if {
	some r in resources
	some l in config.required_labels
	not r.labels[l]
}

deny contains sprintf("environment %s is frozen", [e]) if {
	some e in {r.env | some r in resources}
	e in config.frozen_envs
}

deny contains sprintf("resource id %s appears %d times", [id, n]) if {
	some id in resource_ids
	n := count([x | some x in resource_ids; x == id])
	n > 1
}

deny contains sprintf("cost delta %v exceeds %v", [total_cost_delta, config.max_cost_delta]) if {
	total_cost_delta > config.max_cost_delta
}

deny contains "high-risk production changes need an approval from security" if {
	change.risk == "high"
	count(prod_resources) > 0
	not "security" in approving_teams
}

deny contains sprintf("owner team %s has not approved", [o]) if {
	count(prod_resources) > 0
	some o in owners
	not owner_approved(o)
}

owner_approved(team) if team in approving_teams

deny contains "production changes must run inside their window" if {
	count(prod_resources) > 0
	not inside_window
}

inside_window if {
	change.window.start <= change.submitted_at
	change.submitted_at < change.window.end
}

deny contains "every production resource needs a ticket" if {
	count(prod_resources) > 0
	not every_prod_resource_ticketed
}

every_prod_resource_ticketed if {
	every r in prod_resources {
		some t in change.tickets
		startswith(t, sprintf("%s:", [r.id]))
	}
}

warnings contains sprintf("resource %s: cost delta %v", [r.id, r.cost_delta]) if {
	some r in resources
	r.cost_delta > 100
}

default allow := false

allow if {
	count(deny) == 0
	is_string(change.id)
}

decision := {
	"allow": allow,
	"reasons": sort(deny),
	"warnings": sort(warnings),
	"summary": {
		"resources": count(resources),
		"production": count(prod_resources),
		"approvers": sort(independent_approvers),
	},
}
