package dev.tether.app;

import dev.tether.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Human forms: sizes like {@code 48 MiB}, durations like {@code 3m12s}, local start times. */
final class Formats {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter EARLIER = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Formats() {}

    static String size(long bytes) {
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : (v >= 10 ? String.format("%.0f %s", v, UNITS[u]) : String.format("%.1f %s", v, UNITS[u]));
    }

    static String duration(Duration d) {
        return Durations.format(d);
    }

    static String since(Instant start) {
        return Durations.format(Duration.between(start, Instant.now()));
    }

    /** {@code 10:02} for today, else the date too. */
    static String time(Instant t) {
        var local = t.atZone(ZoneId.systemDefault());
        return local.toLocalDate().equals(java.time.LocalDate.now()) ? TODAY.format(local) : EARLIER.format(local);
    }
}
