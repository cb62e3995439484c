package dev.portcullis.gate.decisions;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * H2 counterpart of the PostgreSQL append-only trigger (installed by
 * {@code db/vendor/h2/R__decisions_append_only.sql}): any UPDATE or DELETE on {@code decision}
 * raises. If this class cannot be loaded (e.g. the file is opened with a bare H2 tool) H2 fails the
 * statement anyway, so the table stays closed for modification.
 */
public class H2AppendOnlyTrigger implements Trigger {

    private String op = "UPDATE/DELETE";

    @Override
    public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before, int type) {
        if (type == Trigger.UPDATE) {
            op = "UPDATE";
        } else if (type == Trigger.DELETE) {
            op = "DELETE";
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("decision is append-only: " + op + " is not allowed", "42501");
    }
}
