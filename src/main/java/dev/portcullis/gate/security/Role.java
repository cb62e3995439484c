package dev.portcullis.gate.security;

/** What a bearer token may do. ADMIN implies every other role. */
public enum Role {
    CLIENT, RESPONDER, STEWARD, ADMIN;

    public static Role parse(String s) {
        return Role.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
