package io.sessiond.catalog;

/** Health of a check, spelled as Consul spells it. */
public enum CheckStatus {
    PASSING("passing"),
    WARNING("warning"),
    CRITICAL("critical");

    private final String wire;

    CheckStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
