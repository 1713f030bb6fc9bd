package io.sessiond.go;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GoDurationTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "+0, 0",
            "-0, 0",
            "0s, 0",
            "10s, 10000000000",
            "1h30m, 5400000000000",
            "1.5s, 1500000000",
            "15000ms, 15000000000",
            ".5s, 500000000",
            "1.s, 1000000000",
            "24h, 86400000000000",
            "86400s, 86400000000000",
            "250ms, 250000000",
            "10us, 10000",
            "10µs, 10000",
            "10μs, 10000",
            "7ns, 7",
            "-5s, -5000000000",
            "1h1m1s1ms1us1ns, 3661001001001",
            "1.25s, 1250000000",
            "1.9s, 1900000000",
            "0.1ns, 0",
            "2562047h, 9223369200000000000",
            "9223372036854775807ns, 9223372036854775807",
    })
    void parsesLikeGo(String input, long nanos) {
        assertEquals(nanos, GoDuration.parse(input));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "abc | time: invalid duration \"abc\"",
            "'' | time: invalid duration \"\"",
            "10 | time: missing unit in duration \"10\"",
            "10x | time: unknown unit \"x\" in duration \"10x\"",
            "1.5.5s | time: missing unit in duration \"1.5.5s\"",
            ". | time: invalid duration \".\"",
            "s | time: invalid duration \"s\"",
            "9999999999999999999h | time: invalid duration \"9999999999999999999h\"",
            "3000000h | time: invalid duration \"3000000h\"",
            "2562048h | time: invalid duration \"2562048h\"",
            "9223372036854775808ns | time: invalid duration \"9223372036854775808ns\"",
            "1 s | time: unknown unit \" s\" in duration \"1 s\"",
    })
    void rejectsWithGoMessages(String input, String message) {
        GoDuration.InvalidDurationException e =
                assertThrows(GoDuration.InvalidDurationException.class, () -> GoDuration.parse(input));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0s",
            "10000000000, 10s",
            "86400000000000, 24h0m0s",
            "100000000, 100ms",
            "1500000000, 1.5s",
            "90000000000, 1m30s",
            "3661001001001, 1h1m1.001001001s",
            "1500, 1.5µs",
            "7, 7ns",
            "-5000000000, -5s",
            "1000, 1µs",
            "999999, 999.999µs",
            "1000000, 1ms",
            "999999999, 999.999999ms",
            "1000000000, 1s",
    })
    void formatsLikeGo(long nanos, String text) {
        assertEquals(text, GoDuration.format(nanos));
    }

    @Test
    void quotesControlCharactersLikeGo() {
        assertEquals("\"a\\\"b\\n\"", GoDuration.quote("a\"b\n"));
    }
}
