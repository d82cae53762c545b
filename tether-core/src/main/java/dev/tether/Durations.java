package dev.tether;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes durations the way people type them: {@code 10s}, {@code 500ms}, {@code 1m30s},
 * {@code 2h}, {@code 0}. Also accepts ISO-8601 ({@code PT10S}).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final String ACCEPTED = "a number with a unit, e.g. 500ms, 10s, 1m30s, 2h, or 0";

    private Durations() {}

    /**
     * @throws IllegalArgumentException naming the input and the accepted forms
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                return Duration.parse(t);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration: use " + ACCEPTED);
            }
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use " + ACCEPTED);
        }
        return total;
    }

    /** Short human form: {@code 850ms}, {@code 12s}, {@code 3m12s}, {@code 2h5m}, {@code 3d4h}. */
    public static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (s < 86400) {
            long m = (s % 3600) / 60;
            return (s / 3600) + "h" + (m == 0 ? "" : m + "m");
        }
        long h = (s % 86400) / 3600;
        return (s / 86400) + "d" + (h == 0 ? "" : h + "h");
    }
}
