package io.sessiond.session;

import io.sessiond.RejectedException;

/** What happens to the locks a session holds when it is invalidated. */
public enum SessionBehavior {
    /** Its keys are unlocked and keep their values. */
    RELEASE("release"),
    /** Its keys are deleted. */
    DELETE("delete");

    private final String wire;

    SessionBehavior(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Consul's spelling, case-sensitive; empty means the default, release. */
    static SessionBehavior parse(String value) {
        if (value == null || value.isEmpty()) {
            return RELEASE;
        }
        for (SessionBehavior behavior : values()) {
            if (behavior.wire.equals(value)) {
                return behavior;
            }
        }
        throw RejectedException.invalid("Invalid Behavior setting '" + value + "'");
    }
}
