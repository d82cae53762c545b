package dev.tether.registry;

import dev.tether.Exit;
import dev.tether.StopReason;
import dev.tether.StopReport;
import java.time.Duration;
import java.util.Objects;

/**
 * What the last stop of a session found: a {@link StopReport} without its exit, which the session
 * record holds once for both.
 */
public record StopFindings(int signalled, int killed, int survivors, Duration elapsed, StopReason reason) {
    public StopFindings {
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(reason, "reason");
        if (signalled < 0 || killed < 0 || survivors < 0) {
            throw new IllegalArgumentException("process counts must not be negative: signalled " + signalled
                    + ", killed " + killed + ", survivors " + survivors);
        }
    }

    public static StopFindings of(StopReport report) {
        return new StopFindings(report.signalled(), report.killed(), report.survivors(), report.elapsed(),
                report.reason());
    }

    /** The full report, given how the main process ended. */
    public StopReport toReport(Exit exit) {
        return new StopReport(exit, signalled, killed, survivors, elapsed, reason);
    }
}
