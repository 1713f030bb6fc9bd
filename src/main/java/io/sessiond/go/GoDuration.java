package io.sessiond.go;

/**
 * Go's {@code time.ParseDuration} and {@code Duration.String}, because Consul clients write durations in
 * Go's syntax ({@code "15s"}, {@code "1h30m"}, {@code "15000ms"}) and read them back in Go's messages.
 */
public final class GoDuration {

    private static final long NANOSECOND = 1L;
    private static final long MICROSECOND = 1000L * NANOSECOND;
    private static final long MILLISECOND = 1000L * MICROSECOND;
    private static final long SECOND = 1000L * MILLISECOND;
    private static final long MINUTE = 60L * SECOND;
    private static final long HOUR = 60L * MINUTE;

    private GoDuration() {
    }

    /** A duration string Go would reject; the message is Go's own. */
    public static final class InvalidDurationException extends IllegalArgumentException {
        InvalidDurationException(String message) {
            super(message);
        }
    }

    /** Parses like Go's {@code time.ParseDuration}; returns nanoseconds. */
    public static long parse(String input) {
        String s = input;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(input);
        }
        long total = 0;
        while (!s.isEmpty()) {
            if (!(s.charAt(0) == '.' || isDigit(s.charAt(0)))) {
                throw invalid(input);
            }
            int i = 0;
            long whole = 0;
            while (i < s.length() && isDigit(s.charAt(i))) {
                int digit = s.charAt(i) - '0';
                if (whole > (Long.MAX_VALUE - digit) / 10) {
                    throw invalid(input);
                }
                whole = whole * 10 + digit;
                i++;
            }
            boolean sawWhole = i > 0;
            long fraction = 0;
            double scale = 1;
            boolean sawFraction = false;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int start = i;
                boolean overflow = false;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    if (!overflow) {
                        if (fraction > (Long.MAX_VALUE - 9) / 10) {
                            overflow = true; // Go drops digits it can no longer hold
                        } else {
                            fraction = fraction * 10 + (s.charAt(i) - '0');
                            scale *= 10;
                        }
                    }
                    i++;
                }
                sawFraction = i > start;
            }
            if (!sawWhole && !sawFraction) {
                throw invalid(input);
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
                i++;
            }
            if (unitStart == i) {
                throw new InvalidDurationException("time: missing unit in duration " + quote(input));
            }
            String unitName = s.substring(unitStart, i);
            long unit = unit(unitName, input);
            if (whole > Long.MAX_VALUE / unit) {
                throw invalid(input);
            }
            long value = whole * unit;
            if (fraction > 0) {
                value += (long) ((double) fraction * ((double) unit / scale));
                if (value < 0) {
                    throw invalid(input);
                }
            }
            total += value;
            if (total < 0) {
                throw invalid(input);
            }
            s = s.substring(i);
        }
        return negative ? -total : total;
    }

    /** Formats like Go's {@code Duration.String}: {@code 10s}, {@code 24h0m0s}, {@code 1.5s}, {@code 250ms}. */
    public static String format(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean negative = nanos < 0;
        // Long.MIN_VALUE has no positive counterpart; work on the unsigned magnitude.
        long magnitude = negative ? -nanos : nanos;
        StringBuilder out = new StringBuilder();
        if (Long.compareUnsigned(magnitude, SECOND) < 0) {
            String unit;
            long divisor;
            if (magnitude < MICROSECOND) {
                return (negative ? "-" : "") + magnitude + "ns";
            } else if (magnitude < MILLISECOND) {
                unit = "µs";
                divisor = MICROSECOND;
            } else {
                unit = "ms";
                divisor = MILLISECOND;
            }
            out.append(withFraction(magnitude, divisor)).append(unit);
        } else {
            long hours = Long.divideUnsigned(magnitude, HOUR);
            long rest = Long.remainderUnsigned(magnitude, HOUR);
            long minutes = rest / MINUTE;
            long secondsPart = rest % MINUTE;
            if (hours > 0) {
                out.append(hours).append('h').append(minutes).append('m');
            } else if (minutes > 0) {
                out.append(minutes).append('m');
            }
            out.append(withFraction(secondsPart, SECOND)).append('s');
        }
        return (negative ? "-" : "") + out;
    }

    private static String withFraction(long value, long divisor) {
        long whole = value / divisor;
        long fraction = value % divisor;
        if (fraction == 0) {
            return Long.toString(whole);
        }
        String digits = String.format("%0" + (Long.toString(divisor).length() - 1) + "d", fraction);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + digits.substring(0, end);
    }

    private static long unit(String name, String input) {
        return switch (name) {
            case "ns" -> NANOSECOND;
            case "us", "\u00b5s", "\u03bcs" -> MICROSECOND;
            case "ms" -> MILLISECOND;
            case "s" -> SECOND;
            case "m" -> MINUTE;
            case "h" -> HOUR;
            default -> throw new InvalidDurationException(
                    "time: unknown unit " + quote(name) + " in duration " + quote(input));
        };
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static InvalidDurationException invalid(String input) {
        return new InvalidDurationException("time: invalid duration " + quote(input));
    }

    /** Go's {@code strconv.Quote} (and {@code %#v} of a string), as Consul's messages print inputs. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
