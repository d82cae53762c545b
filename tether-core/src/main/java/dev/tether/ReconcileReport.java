package dev.tether;

import java.time.Duration;

/**
 * What a reconciliation found and did.
 *
 * @param instancesClosed     dead supervisor instances whose rows were closed
 * @param sessionsLost        sessions of dead instances stopped and closed as {@link SessionState#LOST}
 * @param processesStopped    processes that had to be signalled or killed
 * @param rowsCorrected       rows that claimed a live process that was dead, corrected
 * @param directoriesRemoved  session directories removed (of lost sessions, or stale)
 * @param portsReleased       port leases released
 * @param cgroupsRemoved      cgroups of dead instances removed
 * @param elapsed             how long it took
 */
public record ReconcileReport(int instancesClosed, int sessionsLost, int processesStopped, int rowsCorrected,
                              int directoriesRemoved, int portsReleased, int cgroupsRemoved, Duration elapsed) {
    /** Whether it found nothing to do. */
    public boolean nothingFound() {
        return instancesClosed + sessionsLost + processesStopped + rowsCorrected + directoriesRemoved
                + portsReleased + cgroupsRemoved == 0;
    }

    @Override
    public String toString() {
        return "instances closed " + instancesClosed + ", sessions lost " + sessionsLost + ", processes stopped "
                + processesStopped + ", rows corrected " + rowsCorrected + ", directories removed " + directoriesRemoved
                + ", ports released " + portsReleased + ", cgroups removed " + cgroupsRemoved + " in " + Durations.format(elapsed);
    }
}
