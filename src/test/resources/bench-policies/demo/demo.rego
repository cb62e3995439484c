# The policy OPA's demo-policy.wasm is built from, plus a decision-shaped wrapper for the
# /v1/decisions load benchmark.
package opa.wasm.test

import rego.v1

default allowed := false

allowed if {
	user := input.user
	data.role[user] == "admin"
}

decision := {"allow": allowed}
