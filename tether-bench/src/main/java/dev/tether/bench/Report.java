package dev.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes {@code latest.md} (tables for people) and {@code latest.json} (every raw number). */
final class Report {
    static final String COMMAND = "JAVA_HOME=<jdk-25> ./mvnw -q -B -pl tether-bench -am package -DskipTests -Pbench";

    private static final String SPAWN_NOTES = """
            What each Tether spawn does that `ProcessBuilder.start()` + `waitFor()` does not (read from the code \
            at this commit):

            - `Supervisor.start`: copies `System.getenv()` into a new map and adds `TETHER_SESSION`/`TETHER_INSTANCE`; \
            preflight checks of the directory, the executable (PATH lookup) and the redirects.
            - CGROUP only: `mkdir` of a session cgroup under the instance cgroup; the child is spawned as \
            `/bin/sh -c 'echo $$ > <cgroup>/cgroup.procs || exit 112; exec "$@"' … /bin/true` (the gate: \
            sh start-up plus a second exec; the JDK also execs twice, through `jspawnhelper`).
            - Linux levels: `posix_spawn` (setsid, signal mask/defaults reset, `/dev/null` opens, `chdir`, \
            `closefrom(3)`), then a `/proc/<pid>/stat` read for the start time, `pidfd_open`, `epoll_ctl(ADD)`; \
            on exit the epoll thread reaps by `waitid(P_PIDFD)` and completes the future on a virtual thread. \
            The orphan reaper (a subreaper's `waitid(P_ALL, WNOWAIT)` trigger) also wakes for each exit and \
            lists `/proc/self/task/*/children` under the spawn lock.
            - The main process's exit starts the one stop algorithm on a new virtual thread, even for a process \
            that is already gone: CGROUP writes `cgroup.freeze`, polls `cgroup.events`, lists members \
            (`Files.walk` + `cgroup.procs`), thaws, checks `populated`, lists members again, then `rmdir`; \
            PROCESS_GROUP_AND_MARKER and PORTABLE scan all of `/proc` (stat + environ of every pid; PORTABLE \
            adds `ProcessHandle.descendants()`) three times per stop (signal pass, emptiness check, kill-loop check).
            - PORTABLE spawns through `ProcessBuilder` itself, so it cannot beat the baseline; it has no target.
            """;

    private static final String STOP_NOTES = """
            Method: each repetition starts `deep-tree TAG` (121 processes), waits until the kit's `survivors TAG` \
            counts 121, then times `session.stop()` (default policy: SIGTERM, 10 s grace; every node dies of \
            SIGTERM, so nothing needs SIGKILL). *wall* is the caller's view (call to return); *report* is \
            `StopReport.elapsed()`. The baseline is the processes' own exit with no supervisor: their pids from \
            `survivors TAG -p` (start times noted), then one `/bin/kill -TERM <121 pids>` is started and this JVM \
            polls `/proc/<pid>/stat` (0.1 ms pause between passes) until none is alive (gone, zombie, or pid \
            reused); its *wall* is from starting `/bin/kill` to the last exit, its *report* column is the \
            `/bin/kill` run alone (fork + exec + 121 `kill(2)`). After every repetition the kit must count 0 \
            survivors (the bench fails loudly otherwise) and `reap TAG` runs as a safety net.
            """;

    private static final String SCAN_NOTES = """
            Method: a `deep-tree TAG 5 3` (364 processes) runs under a PROCESS_GROUP_AND_MARKER supervisor while \
            scans are timed; *processes* is the number of `/proc` pid entries at each scan (all processes on the \
            machine, not only the load), and the rate is processes / scan time. `MarkerScope.members()` is reached \
            through the public SPI (`LinuxPlatform.create(false).createScope(new ScopeKey(instance, session))`, \
            bound to the session's main process), so the code path is exactly the one `Session.stop()` uses; both \
            Tether scans must find exactly the 364 load processes each time. Methods alternate by round; \
            a few warm-up scans of each are not recorded.
            """;

    private Report() {}

    static void write(Path dir, Machine machine, String loadAtEnd, SpawnBench.Result spawn, StopBench.Result stop,
                      ScanBench.Result scan) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", COMMAND);
        json.put("machine", machine);
        json.put("loadAverageAtEnd", loadAtEnd);
        json.put("spawn", spawn);
        json.put("stop", stop);
        json.put("scan", scan);
        Files.writeString(dir.resolve("latest.json"), Json.write(json));
        Files.writeString(dir.resolve("latest.md"), markdown(machine, loadAtEnd, spawn, stop, scan));
    }

    private static String markdown(Machine m, String loadAtEnd, SpawnBench.Result spawn, StopBench.Result stop,
                                   ScanBench.Result scan) {
        StringBuilder md = new StringBuilder("# Tether benchmarks: latest run\n\n");
        md.append("Figures, not tests: one run on a shared, noisy machine; read them as orders of magnitude. ")
                .append("Every raw number is in `latest.json`.\n\n");
        md.append("| machine | |\n|---|---|\n");
        row(md, "date (UTC)", m.date());
        row(md, "git commit", "`" + m.gitCommit() + "`" + (m.gitDirty() ? " (uncommitted changes)" : ""));
        row(md, "kernel", m.kernel() + " " + m.arch());
        row(md, "cores", m.cores() + " (" + m.cpu() + ")");
        row(md, "JDK", m.jdk());
        row(md, "JVM arguments", "`" + m.jvmArguments() + "`");
        row(md, "libc", m.glibc());
        row(md, "best containment here", m.bestContainment());
        row(md, "JDK launch mechanism", m.launchMechanism());
        row(md, "processes at start", Integer.toString(m.processesAtStart()));
        row(md, "load average at start / end", m.loadAverageAtStart() + " / " + loadAtEnd);
        md.append("\nCommand (from the repository root): `").append(COMMAND).append("`\n\n");
        summary(md, spawn, stop, scan);
        if (spawn != null) {
            spawnSection(md, spawn);
        }
        if (stop != null) {
            stopSection(md, stop);
        }
        if (scan != null) {
            scanSection(md, scan);
        }
        return md.toString();
    }

    private static void summary(StringBuilder md, SpawnBench.Result spawn, StopBench.Result stop, ScanBench.Result scan) {
        md.append("## Summary\n\n| figure | Tether | baseline (same run) | ratio | target | met |\n|---|---|---|---|---|---|\n");
        if (spawn != null) {
            for (SpawnBench.Figure f : spawn.figures()) {
                if (f.variant() == SpawnBench.Variant.PROCESS_BUILDER) {
                    continue;
                }
                double base = spawn.figures().stream().filter(b -> b.threads() == f.threads()
                        && b.variant() == SpawnBench.Variant.PROCESS_BUILDER).findFirst().orElseThrow().medianPerSecond();
                md.append(String.format(Locale.ROOT, "| spawn+reap `/bin/true`, %d thread%s, %s | %s /s | %s /s (ProcessBuilder) | %.2f× | %s | %s |%n",
                        f.threads(), f.threads() == 1 ? "" : "s", f.variant(), num(f.medianPerSecond()), num(base),
                        f.ratioToBaseline(), f.targetRatio() == null ? "none" : "≥ " + f.targetRatio() + "×", met(f.targetMet())));
            }
        }
        if (stop != null) {
            StopBench.Figure base = stop.figures().stream()
                    .filter(f -> f.variant() == StopBench.Variant.KILL_ALL_PIDS).findFirst().orElseThrow();
            for (StopBench.Figure f : stop.figures()) {
                if (f.targetMillis() == null) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| stop 121-process deep tree, %s | %.1f ms median (p90 %.1f) | %.1f ms (kill -TERM every pid, until all exited) | %.1f× | ≤ %.0f ms | %s |%n",
                        f.variant(), f.wallMedianMillis(), f.wallP90Millis(), base.wallMedianMillis(),
                        f.wallMedianMillis() / base.wallMedianMillis(), f.targetMillis(), met(f.targetMet())));
            }
        }
        if (scan != null) {
            ScanBench.Figure base = scan.figures().stream()
                    .filter(f -> f.method() == ScanBench.Method.READ_ENVIRON).findFirst().orElseThrow();
            for (ScanBench.Figure f : scan.figures()) {
                if (f.targetPerSecond() == null) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| marker scan of /proc, %s | %s processes/s (%.1f ms per scan) | %s processes/s (readAllBytes of every environ) | %.2f× | ≥ %s /s | %s |%n",
                        f.method() == ScanBench.Method.MARKER_SCOPE_MEMBERS ? "`MarkerScope.members()`" : "`LinuxPlatform.markedProcesses()`",
                        num(f.perSecondMedian()), f.millisMedian(), num(base.perSecondMedian()),
                        f.perSecondMedian() / base.perSecondMedian(), num(f.targetPerSecond()), met(f.targetMet())));
            }
        }
        md.append('\n');
    }

    private static void spawnSection(StringBuilder md, SpawnBench.Result r) {
        md.append("## (a) Spawn-and-reap rate of `/bin/true`\n\n")
                .append(String.format("%d sequential spawns per run, each awaited (Tether: until `session.onStopped()`), "
                        + "%d rounds, variant order rotating per round, median round reported; %d warm-up spawns per "
                        + "variant first. Spec: `ProcessSpec.builder(\"/bin/true\").stdout(discard).stderr(discard)` "
                        + "(stdin inherited); the baseline is `ProcessBuilder(\"/bin/true\")` with the same redirects, "
                        + "`start().waitFor()`. Two threads: the same total split over two platform threads sharing "
                        + "one supervisor.%n%n", r.spawnsPerRun(), r.rounds(), r.warmupSpawns()));
        md.append("| variant | threads | per round (/s) | median (/s) | ratio to ProcessBuilder | target | met |\n|---|---|---|---|---|---|---|\n");
        for (SpawnBench.Figure f : r.figures()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.2f× | %s | %s |%n", f.label(), f.threads(),
                    f.perSecondByRound().stream().map(Report::num).collect(Collectors.joining(", ")),
                    num(f.medianPerSecond()), f.ratioToBaseline(),
                    f.targetRatio() == null ? "none" : "≥ " + f.targetRatio() + "×", met(f.targetMet())));
        }
        md.append("\nWhere one single-thread spawn's time goes, seen from the caller (medians over every measured spawn, µs):\n\n")
                .append("| variant | spawns | `start()` returns | then exit observed | then session stopped | total |\n|---|---|---|---|---|---|\n");
        for (SpawnBench.Phases p : r.phases()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f |%n", p.variant().label, p.samples(),
                    p.startMicros(), p.startToExitSeenMicros(), p.exitSeenToStoppedMicros(), p.totalMicros()));
        }
        md.append("\n").append(SPAWN_NOTES).append('\n');
    }

    private static void stopSection(StringBuilder md, StopBench.Result r) {
        md.append("## (b) Stop latency of the 121-process deep tree\n\n")
                .append(r.repetitions()).append(" repetitions per variant.\n\n")
                .append("| variant | wall median (ms) | wall p90 (ms) | report median (ms) | report p90 (ms) | target | met |\n|---|---|---|---|---|---|---|\n");
        for (StopBench.Figure f : r.figures()) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", f.label(), f.wallMedianMillis(),
                    f.wallP90Millis(), f.reportMedianMillis(), f.reportP90Millis(),
                    f.targetMillis() == null ? "none" : "≤ " + f.targetMillis().intValue() + " ms", met(f.targetMet())));
        }
        md.append("\nRaw wall times (ms), in repetition order:\n\n");
        for (StopBench.Variant v : StopBench.Variant.values()) {
            List<StopBench.Sample> s = r.samples().stream().filter(x -> x.variant() == v).toList();
            md.append("- ").append(v.label).append(": ")
                    .append(s.stream().map(x -> String.format(Locale.ROOT, "%.1f", x.wallMillis())).collect(Collectors.joining(", ")))
                    .append(" (signalled ").append(s.stream().map(x -> Integer.toString(x.signalled())).distinct()
                            .collect(Collectors.joining("/"))).append(", killed ")
                    .append(s.stream().mapToInt(StopBench.Sample::killed).sum()).append(" in total)\n");
        }
        md.append("\n").append(STOP_NOTES).append('\n');
    }

    private static void scanSection(StringBuilder md, ScanBench.Result r) {
        md.append("## (c) Marker scan rate over /proc\n\n")
                .append(String.format("%d rounds × %d scans per method; load: %d tagged processes.%n%n",
                        r.rounds(), r.scansPerRound(), r.loadProcesses()))
                .append("| method | scans | processes per scan | median ms | p90 ms | processes/s (median) | target | met |\n|---|---|---|---|---|---|---|---|\n");
        for (ScanBench.Figure f : r.figures()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %s | %s | %s |%n", f.label(), f.scans(),
                    f.processesMedian(), f.millisMedian(), f.millisP90(), num(f.perSecondMedian()),
                    f.targetPerSecond() == null ? "none" : "≥ " + num(f.targetPerSecond()), met(f.targetMet())));
        }
        md.append("\n").append(SCAN_NOTES);
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String met(Boolean b) {
        return b == null ? "—" : b ? "yes" : "**no**";
    }
}
