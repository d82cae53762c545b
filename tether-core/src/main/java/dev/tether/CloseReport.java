package dev.tether;

import java.time.Duration;
import java.util.List;

/**
 * What closing a supervisor did: the resources and sessions it cleaned up (newest first), the
 * cleanups that failed or timed out, and how long it all took.
 */
public record CloseReport(List<Cleaned> cleaned, List<Failure> failures, Duration elapsed) {
    public CloseReport {
        cleaned = List.copyOf(cleaned);
        failures = List.copyOf(failures);
    }

    /** One resource or session cleaned up. */
    public record Cleaned(String name, Duration took) {}

    /** One cleanup that threw or did not finish within its timeout. */
    public record Failure(String name, String reason, Throwable error) {}

    /** Whether every cleanup succeeded. */
    public boolean clean() {
        return failures.isEmpty();
    }

    @Override
    public String toString() {
        return "cleaned " + cleaned.size() + ", failed " + failures.size() + " in " + Durations.format(elapsed)
                + (failures.isEmpty() ? "" : ": " + failures.stream().map(f -> f.name() + " (" + f.reason() + ")").toList());
    }
}
