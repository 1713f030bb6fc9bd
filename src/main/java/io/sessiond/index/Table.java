package io.sessiond.index;

/**
 * The tables that carry their own change index. Writers lock their rows in {@code table_indexes} in this
 * order (alphabetical, as the SQL sorts them), so that two writers never wait on each other in a cycle.
 */
public enum Table {
    CHECKS("checks"),
    NODES("nodes"),
    SESSIONS("sessions");

    private final String sqlName;

    Table(String sqlName) {
        this.sqlName = sqlName;
    }

    public String sqlName() {
        return sqlName;
    }
}
