package dev.portcullis.gate.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Resolves bearer tokens to callers; refuses to start in production with a dev token configured. */
@ApplicationScoped
public class TokenRegistry {

    static final String DEV_PREFIX = "dev-";
    static final String PREFIX = "portcullis.auth.tokens.";

    private final Map<String, Caller> callers = new HashMap<>();

    /**
     * Tokens are configured as {@code portcullis.auth.tokens."<token>"=<caller>:<role>[,<role>]}
     * (environment: {@code PORTCULLIS_AUTH_TOKENS__<TOKEN>_}); tokens are secrets, so production
     * takes them from the environment or a secret store, never from committed files.
     */
    TokenRegistry(Config config) {
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                String token = name.substring(PREFIX.length());
                if (token.length() > 1 && token.startsWith("\"") && token.endsWith("\"")) {
                    token = token.substring(1, token.length() - 1);
                }
                callers.put(token, parse(token, config.getValue(name, String.class)));
            }
        }
    }

    void onStart(@Observes StartupEvent ev) {
        refuseDevTokensIn(LaunchMode.current());
    }

    /** A production launch with any documented dev token configured must not start. */
    void refuseDevTokensIn(LaunchMode mode) {
        if (mode == LaunchMode.NORMAL && callers.keySet().stream().anyMatch(t -> t.startsWith(DEV_PREFIX))) {
            throw new IllegalStateException("refusing to start: dev tokens (dev-*) are configured in production;"
                    + " configure real tokens via PORTCULLIS_AUTH_TOKENS__<TOKEN>_ or the secret store");
        }
    }

    private static Caller parse(String token, String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("portcullis.auth.tokens entry must be '<name>:<role>[,<role>]'");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : spec.substring(colon + 1).split(",")) {
            roles.add(Role.parse(r));
        }
        return new Caller(spec.substring(0, colon).trim(), Set.copyOf(roles));
    }

    /** Constant-time over the candidates so response timing does not reveal token prefixes. */
    public Optional<Caller> resolve(String token) {
        byte[] presented = token.getBytes(StandardCharsets.UTF_8);
        Caller found = null;
        for (Map.Entry<String, Caller> e : callers.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = e.getValue();
            }
        }
        return Optional.ofNullable(found);
    }
}
