package dev.tether.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IntSummaryStatistics;
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
            preflight checks of the directory, the executable (PATH lookup) and the redirects; the registry \
            (SQLite, WAL): for this spec, which reserves no port and no directory, one row inserted after the \
            spawn with the main process's identity (a spec that reserves one records an intent row before the \
            spawn and updates it to `running` after).
            - Linux levels: `posix_spawn` (setsid, signal mask/defaults reset, `/dev/null` opens, `chdir`, \
            `closefrom(3)`), then a `/proc/<pid>/stat` read for the start time, `pidfd_open`, `epoll_ctl(ADD)`; \
            on exit the epoll thread reaps by `waitid(P_PIDFD)` and hands over to one virtual thread, which turns \
            the session STOPPING, completes the exit future and then runs the session's stop itself.
            - CGROUP only: `mkdir` of a session cgroup; the child's file actions hold it before exec (it opens a \
            FIFO that blocks until this JVM opens the other end) while a keeper thread finds it among the \
            spawning thread's children, writes it into `cgroup.procs` and releases it; then it execs `/bin/true` \
            itself. No gate program: the `/bin/sh` gate used before cost a shell start-up and a second exec.
            - The stop after the main exited: CGROUP reads `cgroup.events` (`populated 0`: nothing to signal) and \
            removes the cgroup; PROCESS_GROUP_AND_MARKER walks the children lists below the main process (if \
            alive) and among the orphans this JVM adopted as subreaper; PORTABLE scans all of `/proc` (stat + \
            environ of every pid) and `ProcessHandle.descendants()`.
            - Then the registry's `ended` update, before `onStopped()` completes.
            - PORTABLE spawns through `ProcessBuilder` itself, so it cannot beat the baseline; it has no target. \
            It also records an intent before the spawn and `running` after (three commits): where no `/proc` shows \
            the marker, a row written only after the spawn could leave a crash's processes unfindable.
            - The *registry off* rows are the same supervisors built with `registry(false)`: no row inserted \
            after the spawn and no `ended` update (two SQLite commits per session). They show what the registry \
            costs; they have no target, since a supervisor without a registry loses reconciliation after a crash.
            """;

    private static final String HUNG_NOTES = """
            Diagnosis (first seen while writing this bench, from `jstack` and `/proc/<jvm>/fdinfo` of a wedged \
            JVM): the main process stays a zombie, its session stays RUNNING, and the `tether-exit-watcher` thread \
            spins at 100% CPU (the `exit-watcher-cpu-ms` above) because the epoll set holds the zombie's pidfd while \
            the watcher's fd map no longer has it. Cause, from reading `ExitWatcher.onReadable` (confirmed below): it \
            `close`s the pidfd *before* `byFd.remove(fd)`; a concurrent spawn can get the same fd number from \
            `pidfd_open` and register it in between, the late `remove` drops the new entry, and that child's \
            (level-triggered) exit event is then ignored forever. Only concurrent spawns can hit it, which is why \
            only two-thread Tether runs hang. Removing the entry before `close` (or `byFd.remove(fd, watch)`) \
            would close the window. Checked while writing the bench, with that two-line reorder in a scratch \
            build (not committed; tether-core is unchanged here): 6 of 6 two-thread runs of 3,000 spawns \
            (CGROUP and PROCESS_GROUP_AND_MARKER) completed, against 6 of 6 unpatched runs hung after \
            1,594-2,207 spawns.
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

    static void write(Path dir, Machine machine, String loadAtEnd, String options, Results r) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", COMMAND);
        json.put("options", options);
        json.put("machine", machine);
        json.put("loadAverageAtEnd", loadAtEnd);
        json.put("spawn", r.spawn());
        json.put("stop", r.stop());
        json.put("scan", r.scan());
        json.put("sigkill", r.sigkill());
        json.put("registry", r.registry());
        json.put("guardian", r.guardian());
        json.put("serve", r.serve());
        json.put("churn", r.churn());
        Files.writeString(dir.resolve("latest.json"), Json.write(json));
        Files.writeString(dir.resolve("latest.md"), markdown(machine, loadAtEnd, options, r));
    }

    private static String markdown(Machine m, String loadAtEnd, String options, Results r) {
        SpawnBench.Result spawn = r.spawn();
        StopBench.Result stop = r.stop();
        ScanBench.Result scan = r.scan();
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
        md.append("\nCommand (from the repository root): `").append(COMMAND).append("`; options of this run: `")
                .append(options).append("`\n\n");
        summary(md, spawn, stop, scan);
        LifecycleReport.summary(md, r);
        DaemonReport.summary(md, r);
        md.append('\n');
        if (spawn != null) {
            spawnSection(md, spawn);
        }
        if (stop != null) {
            stopSection(md, stop);
        }
        if (scan != null) {
            scanSection(md, scan);
        }
        LifecycleReport.sections(md, r);
        DaemonReport.sections(md, r);
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
                        f.threads(), f.threads() == 1 ? "" : "s", f.label().replaceFirst("^Tether ", ""),
                        num(f.medianPerSecond()), num(base),
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
    }

    /** The warm-up spawns the runs took, as a range. */
    private static String warmups(SpawnBench.Result r) {
        IntSummaryStatistics s = r.runs().stream().mapToInt(SpawnBench.Run::warmupSpawns).filter(w -> w >= 0).summaryStatistics();
        return s.getCount() == 0 ? "none completed" : s.getMin() == s.getMax() ? num(s.getMin()) : num(s.getMin()) + "–" + num(s.getMax());
    }

    private static void spawnSection(StringBuilder md, SpawnBench.Result r) {
        md.append("## (a) Spawn-and-reap rate of `/bin/true`\n\n")
                .append(String.format("%d sequential spawns per run, each awaited (Tether: until `session.onStopped()`); "
                        + "every run in a fresh JVM after its warm-up: spawns on as many threads as it measures, in chunks of "
                        + "1,000, until the JIT compiled for under 2%% of a chunk's wall time (at least 2,000, at most %s; "
                        + "per run: %s); %d rounds, variant order rotating per round, "
                        + "median round reported. Spec: `ProcessSpec.builder(\"/bin/true\").stdout(discard).stderr(discard)` "
                        + "(stdin inherited); the baseline is `ProcessBuilder(\"/bin/true\")` with the same redirects, "
                        + "`start().waitFor()`, in a JVM where Tether never loaded. Two threads: the same total split "
                        + "over two platform threads sharing one supervisor.%n%n", r.spawnsPerRun(), num(r.warmupSpawns()),
                        warmups(r), r.rounds()));
        md.append("| variant | threads | per round (/s) | hung runs | median (/s) | ratio to ProcessBuilder | target | met |\n|---|---|---|---|---|---|---|---|\n");
        for (SpawnBench.Figure f : r.figures()) {
            String perRound = r.runs().stream().filter(x -> x.variant() == f.variant() && x.threads() == f.threads())
                    .map(x -> x.hung() == null ? num(x.perSecond())
                            : (Double.isNaN(x.perSecond()) ? "—" : num(x.perSecond())) + " (hung after " + x.completed() + ")")
                    .collect(Collectors.joining(", "));
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %.2f× | %s | %s |%n", f.label(), f.threads(),
                    perRound, f.hungRuns(),
                    num(f.medianPerSecond()), f.ratioToBaseline(),
                    f.targetRatio() == null ? "none" : "≥ " + f.targetRatio() + "×", met(f.targetMet())));
        }
        List<SpawnBench.Run> hung = r.runs().stream().filter(x -> x.hung() != null).toList();
        if (!hung.isEmpty()) {
            md.append("\nHung runs: a spawn's exit (or its session's end) was not seen within 3 s, so the worker JVM "
                    + "reported and halted (its instance cgroup, if any, was then removed); the rate shown for such a run covers the spawns completed before it:\n\n");
            hung.forEach(x -> md.append("- round ").append(x.round()).append(", ").append(x.variant().label).append(", ")
                    .append(x.threads()).append(" thread(s), after ").append(x.completed()).append(" of ")
                    .append(x.spawns()).append(" spawns: `").append(x.hung()).append("`\n"));
            md.append("\n").append(HUNG_NOTES);
        }
        md.append("\nWhere one single-thread spawn's time goes, seen from the caller (median of the per-run medians, µs): "
                + "until `start()` returns, then until the one wait returns (Tether: `onStopped()`, which completes once the "
                + "exit was reaped, the tree found empty and the end recorded; ProcessBuilder: `waitFor()`). "
                + "`posix_spawn` and the JDK both return after the exec, so `start()` includes it:\n\n")
                .append("| variant | runs | `start()` returns | then session ended | total |\n|---|---|---|---|---|\n");
        for (SpawnBench.Phases p : r.phases()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f |%n", p.variant().label, p.runs(),
                    p.startMicros(), p.startToEndMicros(), p.totalMicros()));
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

    static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String met(Boolean b) {
        return b == null ? "—" : b ? "yes" : "**no**";
    }
}
