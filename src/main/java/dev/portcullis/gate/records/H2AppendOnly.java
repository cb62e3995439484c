package dev.portcullis.gate.records;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2 counterpart of the PostgreSQL trigger in {@code db/vendor/postgresql/R__runbook_append_only.sql}:
 * any UPDATE or DELETE on an append-only runbook table raises.
 */
public class H2AppendOnly implements Trigger {

    private String table = "table";
    private String op = "UPDATE/DELETE";

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        table = tableName.toLowerCase(java.util.Locale.ROOT);
        op = type == Trigger.UPDATE ? "UPDATE" : type == Trigger.DELETE ? "DELETE" : op;
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException(table + " is append-only: " + op + " is not allowed", "42501");
    }
}
