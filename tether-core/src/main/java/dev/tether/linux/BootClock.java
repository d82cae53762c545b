package dev.tether.linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a process's start time in clock ticks since boot (field 22 of {@code /proc/<pid>/stat})
 * into wall-clock time, using the boot time the kernel reports ({@code btime} in {@code /proc/stat},
 * whole seconds since the epoch). Accurate to about a second: {@code btime} is rounded, and later
 * clock adjustments (NTP steps, suspend) are not accounted for.
 */
public final class BootClock {
    /**
     * {@code USER_HZ}, the unit of {@code /proc} tick counts. Assumed, not read: it is 100 on every
     * mainstream Linux architecture (x86, arm, arm64, riscv, ppc, s390), whatever the kernel's HZ.
     */
    public static final long CLOCK_TICKS_PER_SECOND = 100;

    private static final Path PROC_STAT = Path.of("/proc/stat");
    private static final String BOOT_TIME_KEY = "btime ";
    private static final long NANOS_PER_SECOND = Duration.ofSeconds(1).toNanos();

    private BootClock() {}

    /** The wall-clock moment a process started, from its start time in ticks since boot. */
    public static Optional<Instant> startedAt(long startTicks) {
        return Boot.EPOCH_SECOND.map(boot -> instant(boot, startTicks));
    }

    static Instant instant(long bootEpochSecond, long startTicks) {
        long seconds = startTicks / CLOCK_TICKS_PER_SECOND;
        long nanos = startTicks % CLOCK_TICKS_PER_SECOND * NANOS_PER_SECOND / CLOCK_TICKS_PER_SECOND;
        return Instant.ofEpochSecond(bootEpochSecond).plusSeconds(seconds).plusNanos(nanos);
    }

    /** The {@code btime} line of a {@code /proc/stat} text. */
    static Optional<Long> parseBootTime(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith(BOOT_TIME_KEY)) {
                try {
                    return Optional.of(Long.parseLong(line.substring(BOOT_TIME_KEY.length()).trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Read once: the boot time does not change while the machine runs. */
    private static final class Boot {
        static final Optional<Long> EPOCH_SECOND = Optional.ofNullable(ProcFs.read(PROC_STAT))
                .flatMap(data -> parseBootTime(new String(data, StandardCharsets.US_ASCII)));
    }
}
