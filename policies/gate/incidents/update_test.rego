package gate.incidents.update_test

import rego.v1

import data.gate.incidents.update

ana := {"id": "ana", "api_roles": ["responder"]}

bo := {"id": "bo", "api_roles": ["responder"]}

inc := {"status": "mitigating", "sev": "SEV2", "ic": "ana", "tech_lead": "bo", "scribe": "cy"}

decide(incident, changes, actor) := d if {
	d := update.decision with input as {"incident": incident, "changes": changes, "actor": actor}
}

test_any_responder_edits_the_narrative if decide(inc, {"current_status": "rolling back"}, bo).allow == true

test_the_ic_assigns_roles if decide(inc, {"scribe": "dee", "comms": "eve"}, ana).allow == true

test_others_may_not_assign_roles if {
	d := decide(inc, {"scribe": "bo", "comms": null}, bo)
	d.reasons == ["only the incident commander may assign comms, scribe"]
	decide(inc, {"ic": "bo"}, bo).allow == false
}

test_first_ic_may_be_claimed if {
	unowned := object.remove(inc, ["ic"])
	decide(unowned, {"ic": "bo"}, bo).allow == true
}

test_missing_actor_denies if {
	d := update.decision with input as {"incident": inc, "changes": {"scribe": "x"}}
	d.reasons == ["only a responder may edit an incident", "only the incident commander may assign scribe"]
}

test_resolved_is_final if {
	d := decide(object.union(inc, {"status": "resolved"}), {"current_status": "x"}, ana)
	d.reasons == ["a resolved incident is final; its record cannot change"]
	decide(object.remove(inc, ["status"]), {"current_status": "x"}, ana).allow == false
}

test_status_and_severity_are_not_edits if {
	decide(inc, {"status": "resolved"}, ana).reasons == ["status and severity change only through a transition"]
	decide(inc, {"sev": "SEV3"}, ana).allow == false
}

test_missing_changes_deny if {
	d := update.decision with input as {"incident": inc, "actor": ana}
	d.reasons == ["the changes are unknown"]
}
