package dev.portcullis.gate;

import java.util.HashMap;
import java.util.Map;

/**
 * Test profiles isolate their data in a private in-memory H2 database when the suite runs on H2
 * (the default). When CI runs the suite against PostgreSQL ({@code -Dquarkus.datasource.db-kind=postgresql}),
 * every profile uses that real database instead, cleaned by Flyway when each profile starts.
 */
public final class TestDatabase {
    private TestDatabase() {}

    public static boolean isH2() {
        return System.getProperty("quarkus.datasource.db-kind", "h2").equals("h2");
    }

    /** {@code overrides} plus, on H2, a JDBC URL naming a private in-memory database. */
    public static Map<String, String> isolated(String name, Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(overrides);
        if (isH2()) {
            m.put("quarkus.datasource.jdbc.url", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        }
        return m;
    }
}
