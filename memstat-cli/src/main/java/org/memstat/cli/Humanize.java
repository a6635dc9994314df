package org.memstat.cli;

/**
 * libxo's {@code h} ("humanize") field modifier in text style, which {@code vmstat -m} uses: the value is printed
 * by {@code humanize_number(3)} with a scale chosen from the value itself, no space before the prefix, and the
 * {@code hn-decimal} / {@code hn-1000} flags as the field asks.
 *
 * <p>Arithmetic as libxo does it (facts in {@code docs/CLI.md}): the scale is the number of times the unsigned
 * value can be divided by the divisor (1024, or 1000 with {@code hn-1000}) before it reaches 0, minus one. The
 * value, taken as a <em>signed</em> 64-bit number, is multiplied by 100 and divided by the divisor {@code scale}
 * times (integer division). With {@code hn-decimal}, a scaled value below 995 at a scale above 0 prints one
 * decimal: {@code b = (v + 5) / 10}, "{@code b/10}.{@code b%10}". Otherwise it prints {@code (v + 50) / 100}. The
 * prefix is "", then K M G T P E (k for kilo with {@code hn-1000}). A value of 2^63 or more is negative as a
 * signed number and prints with a minus sign, as libxo's does.
 */
final class Humanize {
    private Humanize() {
    }

    private static final String[] PREFIX_1024 = {"", "K", "M", "G", "T", "P", "E"};
    private static final String[] PREFIX_1000 = {"", "k", "M", "G", "T", "P", "E"};

    /**
     * Humanizes {@code value} (unsigned) as a libxo {@code h} field.
     *
     * @param value   the value, unsigned
     * @param decimal {@code hn-decimal}
     * @param si      {@code hn-1000}
     * @return the text, for example "1.5K", "12M", "384"
     */
    static String format(long value, boolean decimal, boolean si) {
        int divisor = si ? 1000 : 1024;
        int scale = 0;
        if (value != 0) {
            for (long left = value; left != 0; scale++) {
                left = Long.divideUnsigned(left, divisor);
            }
            scale -= 1;
        }
        // humanize_number works on int64_t: the unsigned value is reinterpreted, and negatives keep their sign.
        boolean negative = value < 0;
        java.math.BigInteger scaled = java.math.BigInteger.valueOf(value).abs().multiply(HUNDRED);
        java.math.BigInteger d = java.math.BigInteger.valueOf(divisor);
        for (int i = 0; i < scale; i++) {
            scaled = scaled.divide(d);
        }
        String prefix = (si ? PREFIX_1000 : PREFIX_1024)[scale];
        String sign = negative ? "-" : "";
        long v = scaled.longValueExact();
        if (decimal && scale > 0 && v < 995) {
            long b = (v + 5) / 10;
            return sign + (b / 10) + "." + (b % 10) + prefix;
        }
        return sign + ((v + 50) / 100) + prefix;
    }

    private static final java.math.BigInteger HUNDRED = java.math.BigInteger.valueOf(100);
}
