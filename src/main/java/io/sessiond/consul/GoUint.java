package io.sessiond.consul;

import io.sessiond.RejectedException;
import io.sessiond.go.GoDuration;

/** Go's {@code strconv.ParseUint(s, 10, 64)} for {@code ?flags} and {@code ?cas}, with Go's error texts. */
final class GoUint {

    private GoUint() {
    }

    /** The unsigned value as the same 64 bits in a long. */
    static long parse(String value) {
        String text = value == null ? "" : value;
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error(text, "invalid syntax");
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw error(text, "value out of range");
        }
    }

    private static RejectedException error(String text, String reason) {
        return RejectedException.invalid("strconv.ParseUint: parsing " + GoDuration.quote(text) + ": " + reason);
    }
}
