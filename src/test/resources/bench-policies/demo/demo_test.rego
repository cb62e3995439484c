package opa.wasm.test_test

import rego.v1

import data.opa.wasm.test

test_admin_is_allowed if test.allowed with input as {"user": "alice"}

test_user_is_not_allowed if not test.allowed with input as {"user": "bob"}

test_unknown_user_is_not_allowed if test.decision == {"allow": false} with input as {"user": "mallory"}
