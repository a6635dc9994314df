package org.memstat.cli;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * How {@code sysctl(8)} prints and parses values (FreeBSD's {@code sbin/sysctl/sysctl.c} {@code show_var} and
 * {@code parse_numeric}; facts in {@code docs/CLI.md}).
 *
 * <ul>
 *   <li>Numbers: every whole value in the buffer, separated by a space; signed kinds with {@code %jd}, unsigned
 *       with {@code %ju}; with {@code -x} as {@code %#0*jx} with a width of 2 + twice the size in bytes (C prints
 *       a zero without the {@code 0x}).</li>
 *   <li>Strings: up to the first NUL.</li>
 *   <li>Opaque values without a formatter: nothing, unless {@code -o} or {@code -x}:
 *       {@code Format:F Length:N Dump:0x} and the bytes in hex, the first 16 only without {@code -x}; then
 *       {@code ...} when (a quirk of sysctl's loop) the value had at most 16 or more than 33 bytes.</li>
 * </ul>
 */
final class SysctlValues {
    private SysctlValues() {
    }

    /**
     * The text after {@code "name: "}, or null when sysctl prints nothing for this value.
     *
     * @param e     what the OID is
     * @param v     its value
     * @param order the producer's byte order
     * @param hex   {@code -x}
     * @param dump  {@code -o}
     * @return the text, or null
     */
    static String format(OidEntry e, byte[] v, ByteOrder order, boolean hex, boolean dump) {
        if (v.length == 0 && e.kind() != OidKind.STRING) {
            return null;
        }
        switch (e.kind()) {
            case STRING -> {
                int end = 0;
                while (end < v.length && v[end] != 0) {
                    end++;
                }
                return new String(v, 0, end, StandardCharsets.UTF_8);
            }
            case INT, UINT, LONG, ULONG -> {
                return numbers(e.kind(), v, order, hex);
            }
            default -> {
                return hex || dump ? opaque(e.format(), v, hex) : null;
            }
        }
    }

    private static String numbers(OidKind kind, byte[] v, ByteOrder order, boolean hex) {
        ByteBuffer b = ByteBuffer.wrap(v).order(order);
        StringBuilder sb = new StringBuilder();
        int hexlen = 2 + (kind.size * 8 + 3) / 4;
        while (b.remaining() >= kind.size) {
            long raw = kind.size == 4 ? b.getInt() : b.getLong();
            long unsigned = kind.size == 4 ? raw & 0xFFFF_FFFFL : raw;
            sb.append(sb.isEmpty() ? "" : " ");
            if (hex) {
                String digits = Long.toHexString(unsigned);
                String prefix = unsigned == 0 ? "" : "0x";
                sb.append(prefix).append("0".repeat(Math.max(0, hexlen - prefix.length() - digits.length())))
                        .append(digits);
            } else if (kind.signed) {
                sb.append(raw);
            } else {
                sb.append(Long.toUnsignedString(unsigned));
            }
        }
        return sb.toString();
    }

    private static String opaque(String format, byte[] v, boolean all) {
        StringBuilder sb = new StringBuilder("Format:").append(format).append(" Length:").append(v.length)
                .append(" Dump:0x");
        int shown = all ? v.length : Math.min(16, v.length);
        sb.append(HexFormat.of().formatHex(v, 0, shown));
        // sysctl's loop leaves len at SIZE_MAX when it ran out of bytes, and at len - 17 after 16 bytes.
        boolean dots = !all && (v.length <= 16 || v.length - 17 > 16);
        return dots ? sb.append("...").toString() : sb.toString();
    }

    /** sysctl's names of the numeric kinds, for "invalid %s '%s'". */
    static String typeName(OidKind k) {
        return switch (k) {
            case INT -> "integer";
            case UINT -> "unsigned integer";
            case LONG -> "long integer";
            case ULONG -> "unsigned long";
            default -> k.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * Encodes a new value as sysctl does: numbers separated by spaces or commas, each as {@code strtol(3)} with
     * base 0 (decimal, {@code 0x} hex, leading-0 octal) in the kind's size; strings as their UTF-8 bytes.
     *
     * @param e     the OID
     * @param text  the new value
     * @param order the producer's byte order
     * @return the bytes to write
     * @throws IllegalArgumentException with sysctl's message for an empty or invalid number
     */
    static byte[] parse(OidEntry e, String text, ByteOrder order) {
        if (e.kind() == OidKind.STRING) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty numeric value");
        }
        ByteBuffer out = ByteBuffer.allocate(text.length() * e.kind().size).order(order);
        for (String word : text.split("[ ,]")) {
            if (word.isEmpty()) {
                continue;
            }
            BigInteger v = number(word);
            BigInteger min = e.kind().signed ? BigInteger.ONE.shiftLeft(e.kind().size * 8 - 1).negate()
                    : BigInteger.ZERO;
            BigInteger max = e.kind().signed ? BigInteger.ONE.shiftLeft(e.kind().size * 8 - 1).subtract(
                    BigInteger.ONE) : BigInteger.ONE.shiftLeft(e.kind().size * 8).subtract(BigInteger.ONE);
            if (v == null || v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                throw new IllegalArgumentException("invalid " + typeName(e.kind()) + " '" + word + "'");
            }
            if (e.kind().size == 4) {
                out.putInt(v.intValue());
            } else {
                out.putLong(v.longValue());
            }
        }
        byte[] b = new byte[out.position()];
        out.flip().get(b);
        return b;
    }

    private static BigInteger number(String word) {
        String s = word;
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        int radix = 10;
        if (s.startsWith("0x") || s.startsWith("0X")) {
            radix = 16;
            s = s.substring(2);
        } else if (s.length() > 1 && s.startsWith("0")) {
            radix = 8;
            s = s.substring(1);
        }
        if (s.isEmpty() || s.startsWith("-") || s.startsWith("+")) {
            return null;
        }
        try {
            BigInteger v = new BigInteger(s, radix);
            return negative ? v.negate() : v;
        } catch (NumberFormatException ex) {
            return null;
        }
    }
}
