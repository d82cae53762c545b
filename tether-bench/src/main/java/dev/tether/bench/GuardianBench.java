package dev.tether.bench;

import dev.tether.Containment;
import dev.tether.ProcessId;
import dev.tether.ProcessSpec;
import dev.tether.Stdio;
import dev.tether.Supervisor;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.locks.LockSupport;

/**
 * (f) The guardian's memory: {@code VmRSS} (and {@code Pss}, which divides shared pages among
 * their users) of a supervisor's guardian process, read from {@code /proc/<pid>/status} and
 * {@code smaps_rollup} with 0 and then with 100 live sessions ({@code sleep 3600}), per
 * containment level. Baseline: a plain {@code sh -c 'read x'} started by ProcessBuilder, blocked
 * in its read like the guardian.
 */
final class GuardianBench {
    static final int SESSIONS = 100;
    static final double TARGET_KB = 5 * 1024;
    private static final Duration SETTLE = Duration.ofMillis(300);

    record Reading(String label, Containment containment, int liveSessions, long pid, long vmRssKb, long pssKb,
                   long vmHwmKb, Double targetKb, Boolean targetMet) {}

    record Result(String shell, List<Reading> readings, Reading baseline) {}

    private final ChaosKit kit;
    private final Path work;

    GuardianBench(ChaosKit kit, Path work) {
        this.kit = kit;
        this.work = work;
    }

    Result run() {
        Reading baseline = baseline();
        print(baseline);
        List<Reading> readings = new ArrayList<>();
        for (Containment c : List.of(Containment.CGROUP, Containment.PROCESS_GROUP_AND_MARKER)) {
            String tag = kit.newTag("guardian-" + c.name().toLowerCase().replace('_', '-'));
            try (Supervisor sup = Supervisor.builder().containment(c).home(work.resolve("guardian-" + c.name()))
                    .shutdownHook(false).open()) {
                ProcessId guardian = sup.guardian().orElseThrow(() -> new IllegalStateException(c + ": no guardian runs"));
                pause();
                readings.add(read("Tether guardian, " + c, c, 0, guardian.pid()));
                print(readings.getLast());
                for (int i = 0; i < SESSIONS; i++) {
                    sup.start(ProcessSpec.builder("sleep", "3600").env("CHAOS_TAG", tag)
                            .stdin(Stdio.discard()).stdout(Stdio.discard()).stderr(Stdio.discard()).build());
                }
                kit.awaitSurvivors(tag, SESSIONS, Duration.ofSeconds(30));
                pause();
                if (!guardian.isAlive() || !sup.guardian().equals(java.util.Optional.of(guardian))) {
                    throw new IllegalStateException(c + ": the guardian changed while sessions started");
                }
                readings.add(read("Tether guardian, " + c, c, SESSIONS, guardian.pid()));
                print(readings.getLast());
            } finally {
                kit.assertNoneLeft(tag, "guardian bench, " + c);
                kit.reap(tag);
            }
        }
        return new Result("/bin/sh -> " + shell(), readings, baseline);
    }

    private static Reading baseline() {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "read x").redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start sh -c 'read x': " + e.getMessage(), e);
        }
        try {
            pause();
            return read("baseline: sh -c 'read x' (ProcessBuilder)", null, 0, p.pid());
        } finally {
            try {
                p.getOutputStream().close(); // EOF: read returns, sh exits
                p.waitFor();
            } catch (IOException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static Reading read(String label, Containment c, int live, long pid) {
        long rss = need(Procs.statusKb(pid, "VmRSS"), "VmRSS", pid);
        long hwm = need(Procs.statusKb(pid, "VmHWM"), "VmHWM", pid);
        long pss = need(Procs.pssKb(pid), "Pss", pid);
        boolean tether = c != null;
        return new Reading(label, c, live, pid, rss, pss, hwm, tether ? TARGET_KB : null, tether ? rss <= TARGET_KB : null);
    }

    private static long need(OptionalLong v, String what, long pid) {
        return v.orElseThrow(() -> new IllegalStateException("cannot read " + what + " of pid " + pid));
    }

    private static void print(Reading r) {
        System.out.printf("  guardian  %-52s %3d sessions: VmRSS %5d kB  Pss %5d kB  (pid %d)%n", r.label(),
                r.liveSessions(), r.vmRssKb(), r.pssKb(), r.pid());
    }

    private static void pause() {
        LockSupport.parkNanos(SETTLE.toNanos());
    }

    private static String shell() {
        try {
            return new File("/bin/sh").getCanonicalPath();
        } catch (IOException e) {
            return "?";
        }
    }
}
