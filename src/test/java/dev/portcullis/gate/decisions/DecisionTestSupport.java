package dev.portcullis.gate.decisions;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

final class DecisionTestSupport {

    private DecisionTestSupport() {
    }

    static DecisionDraft draft(String policy, boolean allow) {
        UUID id = UUID.randomUUID();
        return new DecisionDraft(id, "tester", policy, "demo", "r1", "ab".repeat(32),
                "{\"id\":\"" + id + "\",\"n\":\"\u00e9\u20ac\"}", "{\"allow\":" + allow + "}", allow,
                allow ? null : "denied", 42);
    }

    static boolean isPostgres(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        }
    }
}
