package io.sessiond.consul;

import io.sessiond.RejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code ?flags} and {@code ?cas} as Go's {@code strconv.ParseUint(s, 10, 64)} reads them, with its error texts. */
class GoUintTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "7, 7", "0042, 42", "9223372036854775807, 9223372036854775807"})
    void decimalDigitsAreTheirValue(String text, long value) {
        assertEquals(value, GoUint.parse(text));
    }

    @Test
    void valuesAboveLongMaxKeepTheirSixtyFourBits() {
        assertEquals(-1L, GoUint.parse("18446744073709551615"));
        assertEquals(Long.MIN_VALUE, GoUint.parse("9223372036854775808"));
    }

    @ParameterizedTest
    @CsvSource(value = {"-1", "+1", "1.5", "1e3", "0x10", "' 1'", "'1 '", "abc", "１", "1_000"})
    void anythingButDecimalDigitsIsInvalidSyntax(String text) {
        assertEquals("strconv.ParseUint: parsing \"" + text + "\": invalid syntax", refusal(text));
    }

    @Test
    void emptyAndMissingAreInvalidSyntax() {
        assertEquals("strconv.ParseUint: parsing \"\": invalid syntax", refusal(""));
        assertEquals("strconv.ParseUint: parsing \"\": invalid syntax", refusal(null));
    }

    @Test
    void beyondSixtyFourBitsIsOutOfRange() {
        assertEquals("strconv.ParseUint: parsing \"18446744073709551616\": value out of range",
                refusal("18446744073709551616"));
        assertEquals("strconv.ParseUint: parsing \"99999999999999999999999\": value out of range",
                refusal("99999999999999999999999"));
    }

    private static String refusal(String text) {
        RejectedException refused = assertThrows(RejectedException.class, () -> GoUint.parse(text));
        assertEquals(RejectedException.Reason.INVALID, refused.reason());
        return refused.getMessage();
    }
}
