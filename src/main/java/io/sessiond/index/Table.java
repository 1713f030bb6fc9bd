package io.sessiond.index;

import java.util.Arrays;
import java.util.Optional;

/**
 * The tables that carry their own change index. Writers lock their rows in {@code table_indexes} in this
 * order (alphabetical, as the SQL sorts them), so that two writers never wait on each other in a cycle.
 * The SQL name is also what change notifications carry.
 */
public enum Table {
    /** ACL policies, tokens and the bootstrap share one index. */
    ACL("acl"),
    CHECKS("checks"),
    KVS("kvs"),
    NODES("nodes"),
    SERVICES("services"),
    SESSIONS("sessions");

    private final String sqlName;

    Table(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }

    static Optional<Table> bySqlName(String name) {
        return Arrays.stream(values()).filter(table -> table.sqlName.equals(name)).findFirst();
    }
}
