package dev.portcullis.gate.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

class TokenRegistryTest {

    static TokenRegistry registry(Map<String, String> props) {
        Config c = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(props, "test", 100)).build();
        return new TokenRegistry(c);
    }

    @Test
    void tokensMapToCallersAndRoles() {
        TokenRegistry r = registry(Map.of("portcullis.auth.tokens.\"s3cret\"", "ci-pipeline:client,responder"));
        Caller c = r.resolve("s3cret").orElseThrow();
        assertEquals("ci-pipeline", c.name());
        assertEquals(Set.of(Role.CLIENT, Role.RESPONDER), c.roles());
        assertTrue(r.resolve("s3cre").isEmpty());
        assertTrue(r.resolve("").isEmpty());
    }

    @Test
    void adminHasEveryRole() {
        Caller admin = new Caller("a", Set.of(Role.ADMIN));
        for (Role role : Role.values()) {
            assertTrue(admin.has(role));
        }
    }

    @Test
    void productionRefusesToStartWithDevTokens() {
        TokenRegistry r = registry(Map.of("portcullis.auth.tokens.\"dev-client\"", "dev-client:client"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.refuseDevTokensIn(LaunchMode.NORMAL));
        assertTrue(e.getMessage().contains("dev tokens"));
        assertDoesNotThrow(() -> r.refuseDevTokensIn(LaunchMode.DEVELOPMENT));
        assertDoesNotThrow(() -> r.refuseDevTokensIn(LaunchMode.TEST));
        assertDoesNotThrow(() -> registry(Map.of("portcullis.auth.tokens.\"prod-x\"", "svc:client"))
                .refuseDevTokensIn(LaunchMode.NORMAL));
    }

    @Test
    void malformedTokenSpecIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> registry(Map.of("portcullis.auth.tokens.x", "no-roles")));
        assertThrows(IllegalArgumentException.class, () -> registry(Map.of("portcullis.auth.tokens.x", "svc:superuser")));
    }
}
