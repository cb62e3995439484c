package dev.portcullis.gate.security;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/**
 * Bearer tokens: {@code portcullis.auth.tokens."<token>"=<caller name>:<role>[,<role>...]}.
 * Tokens are secrets: in production they come from the environment or a secret store, never
 * from the committed configuration.
 */
@ConfigMapping(prefix = "portcullis.auth")
public interface AuthConfig {
    Map<String, String> tokens();
}
