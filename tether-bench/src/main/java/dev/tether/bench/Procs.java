package dev.tether.bench;

import dev.tether.linux.BootClock;
import dev.tether.linux.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

/**
 * What the bench reads from {@code /proc} about processes it started or measures: memory
 * ({@code VmRSS}, {@code Pss}), CPU time, CPU time by thread, processes carrying an environment
 * entry, and waiting for a set of identities to be gone. Reads only; it never signals.
 */
final class Procs {
    static final long TICKS_PER_SECOND = BootClock.CLOCK_TICKS_PER_SECOND;
    private static final Path PROC = Path.of("/proc");
    private static final long POLL_PAUSE_NANOS = 100_000;

    private Procs() {}

    /** A field of {@code /proc/<pid>/status} in kB (e.g. {@code VmRSS}); empty once the process is gone. */
    static OptionalLong statusKb(long pid, String field) {
        return kbField(PROC.resolve(pid + "/status"), field);
    }

    /** The proportional set size (shared pages divided among their users), from {@code smaps_rollup}. */
    static OptionalLong pssKb(long pid) {
        return kbField(PROC.resolve(pid + "/smaps_rollup"), "Pss");
    }

    private static OptionalLong kbField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(field + ":")) {
                    return OptionalLong.of(Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim()));
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime of a live process, in clock ticks ({@link #TICKS_PER_SECOND} per second). */
    static long cpuTicks(long pid) {
        return ProcFs.usage(pid).orElseThrow(() -> new IllegalStateException("process " + pid + " is gone")).cpuTicks();
    }

    /**
     * CPU ticks by thread group: each thread's name ({@code /proc/<pid>/task/<tid>/comm}) with its
     * digits dropped ({@code qtp123-45} and {@code qtp123-46} count together), so two readings can
     * say which kind of thread used the time in between.
     */
    static Map<String, Long> cpuTicksByThreadGroup(long pid) {
        Map<String, Long> out = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm"), StandardCharsets.ISO_8859_1).trim();
                    String stat = Files.readString(task.resolve("stat"), StandardCharsets.ISO_8859_1);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
                    out.merge(comm.replaceAll("[0-9]+", "#"), ticks, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + pid + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** {@code after - before} per thread group, largest first, without the groups that used nothing. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new HashMap<>();
        after.forEach((k, v) -> {
            long used = v - before.getOrDefault(k, 0L);
            if (used > 0) {
                d.put(k, used);
            }
        });
        Map<String, Long> sorted = new java.util.LinkedHashMap<>();
        d.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Live (non-zombie) processes whose exec-time environment holds {@code entry}, e.g. {@code TETHER_INSTANCE=abc}. */
    static List<Long> carrying(String entry) {
        byte[] e = entry.getBytes(StandardCharsets.UTF_8);
        List<Long> out = new ArrayList<>();
        for (long pid : ProcFs.pids()) {
            if (ProcFs.environContains(pid, e) && ProcFs.stat(pid).filter(st -> !st.isZombie()).isPresent()) {
                out.add(pid);
            }
        }
        return out;
    }

    /** pid → start time of those pids that are alive now (a pid without a stat is left out). */
    static Map<Long, Long> identities(List<Long> pids) {
        Map<Long, Long> out = new HashMap<>();
        for (long pid : pids) {
            ProcFs.stat(pid).filter(st -> !st.isZombie()).ifPresent(st -> out.put(pid, st.startTime()));
        }
        return out;
    }

    /**
     * Polls until none of the identities lives (gone, zombie, or pid reused) and returns the
     * {@link System#nanoTime()} of the pass that found the last one gone; or -1 at the deadline,
     * leaving the live ones in {@code ids}.
     */
    static long awaitGone(Map<Long, Long> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ids.entrySet().removeIf(e -> ProcFs.stat(e.getKey())
                    .map(st -> st.isZombie() || st.startTime() != e.getValue()).orElse(true));
            long now = System.nanoTime();
            if (ids.isEmpty()) {
                return now;
            }
            if (now - deadline > 0) {
                return -1;
            }
            LockSupport.parkNanos(POLL_PAUSE_NANOS);
        }
    }
}
