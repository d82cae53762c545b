package dev.tether;

import dev.tether.linux.BootClock;
import dev.tether.linux.ProcFs;
import java.time.Duration;
import java.util.Collection;

/**
 * What a session's processes use, summed over its live members at the moment of the look: CPU
 * time (user + system) and resident memory. Where {@code /proc} is not readable, both are zero.
 *
 * @param processes live members counted
 * @param cpu       CPU time consumed so far by the live members
 * @param rssBytes  resident set size, summed (shared pages counted once per process)
 */
public record ResourceUsage(int processes, Duration cpu, long rssBytes) {
    public static ResourceUsage of(Collection<ProcessId> members) {
        int n = 0;
        long cpuTicks = 0;
        long rss = 0;
        for (ProcessId id : members) {
            var u = ProcFs.usage(id.pid());
            if (u.isPresent() && u.get().startTime() == id.startTime()) {
                n++;
                cpuTicks += u.get().cpuTicks();
                rss += u.get().rssBytes();
            }
        }
        return new ResourceUsage(n, Duration.ofMillis(cpuTicks * 1000 / BootClock.CLOCK_TICKS_PER_SECOND), rss);
    }
}
