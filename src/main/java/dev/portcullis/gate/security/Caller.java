package dev.portcullis.gate.security;

import java.util.Set;

/** The authenticated caller of a request: a name for the decision record and its roles. */
public record Caller(String name, Set<Role> roles) {
    public boolean has(Role r) {
        return roles.contains(Role.ADMIN) || roles.contains(r);
    }
}
