package org.memstat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * libxo's text-style humanize, case by case, each worked out by hand from libxo's algorithm (docs/CLI.md §4):
 * scale = divisions to 0, minus 1; value * 100 divided scale times; one decimal below 995 with hn-decimal.
 */
class HumanizeTest {
    @ParameterizedTest(name = "{0} decimal={1} si={2} -> {3}")
    @CsvSource({
        "0, true, true, 0",
        "999, true, true, 999",                    // scale 0: (99900 + 50) / 100
        "1000, true, true, 1.0k",                  // scale 1: 100000 / 1000 = 100 < 995: b = 10
        "9949, true, true, 9.9k",                  // 994900 / 1000 = 994 < 995: b = (994 + 5) / 10 = 99
        "9950, true, true, 10k",                   // 995000 / 1000 = 995: (995 + 50) / 100 = 10
        "1023, true, false, 1023",                 // scale 0 with divisor 1024
        "1024, true, false, 1.0K",                 // 102400 / 1024 = 100: b = 10
        "1536, true, false, 1.5K",                 // 153600 / 1024 = 150: b = 15
        "65536, false, false, 64K",                // no decimal: (6400 + 50) / 100
        "1048576, false, false, 1M",               // scale 2: 104857600 / 1024 / 1024 = 100 -> 1
        "-1, true, true, -0.0E",                   // 2^64-1 as int64 is -1; scale 6; 100 / 1000^6 = 0
        "-9223372036854775808, true, true, -9.2E", // 2^63: 922337203685477580800 / 1000^6 = 922: b = 92
    })
    void matchesLibxo(long value, boolean decimal, boolean si, String expected) {
        assertThat(Humanize.format(value, decimal, si)).isEqualTo(expected);
    }
}
