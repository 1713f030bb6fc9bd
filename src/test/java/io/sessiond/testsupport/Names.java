package io.sessiond.testsupport;

import java.util.UUID;

/** Names no other test uses, so that test classes sharing one database never see each other's rows. */
public final class Names {

    private Names() {
    }

    /** {@code prefix}, a dash and eight random hex digits. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
