package dev.tether;

import dev.tether.linux.BootClock;
import dev.tether.linux.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * What a session's processes use at the moment of the look: CPU time (user + system) and resident
 * memory. With a cgroup, CPU time is the cgroup's ({@code cpu.stat}: it counts members that have
 * already exited too) and memory its {@code memory.current} when the memory controller is enabled
 * there; otherwise both are summed over the live members. Where {@code /proc} is not readable, zero.
 *
 * @param processes live members counted
 * @param cpu       CPU time consumed so far
 * @param rssBytes  resident memory (summed over members: shared pages counted once per process)
 * @param source    where the CPU figure came from
 */
public record ResourceUsage(int processes, Duration cpu, long rssBytes, Source source) {
    /** Where a usage figure came from. */
    public enum Source {
        /** Summed over the live members from {@code /proc}. */
        MEMBERS,
        /** Read from the session's cgroup. */
        CGROUP
    }

    public static final ResourceUsage NONE = new ResourceUsage(0, Duration.ZERO, 0, Source.MEMBERS);

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
        return new ResourceUsage(n, Duration.ofMillis(cpuTicks * 1000 / BootClock.CLOCK_TICKS_PER_SECOND), rss, Source.MEMBERS);
    }

    /** Members counted from {@code members}; CPU (and memory, when accounted) from the cgroup directory when readable. */
    static ResourceUsage of(Collection<ProcessId> members, Optional<String> cgroup) {
        ResourceUsage summed = of(members);
        if (cgroup.isEmpty()) {
            return summed;
        }
        Path dir = Path.of(cgroup.get());
        Optional<Duration> cpu = cgroupCpu(dir);
        if (cpu.isEmpty()) {
            return summed;
        }
        long memory = cgroupMemory(dir).orElse(summed.rssBytes());
        return new ResourceUsage(summed.processes(), cpu.get(), memory, Source.CGROUP);
    }

    private static Optional<Duration> cgroupCpu(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("cpu.stat"))) {
                if (line.startsWith("usage_usec ")) {
                    return Optional.of(Duration.ofNanos(Long.parseLong(line.substring(11).strip()) * 1000));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2 accounting there
        }
        return Optional.empty();
    }

    private static Optional<Long> cgroupMemory(Path dir) {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve("memory.current")).strip()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the memory controller is not enabled there
        }
    }
}
