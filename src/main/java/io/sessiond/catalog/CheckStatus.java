package io.sessiond.catalog;

import io.sessiond.RejectedException;

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

    /** Consul's spelling; a check registered without a status starts critical, as in Consul. */
    public static CheckStatus parse(String value) {
        if (value == null || value.isEmpty()) {
            return CRITICAL;
        }
        for (CheckStatus status : values()) {
            if (status.wire.equals(value)) {
                return status;
            }
        }
        throw RejectedException.invalid("Invalid check status: '" + value + "'");
    }
}
