package dev.tether.bench;

import dev.tether.Containment;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import dev.tether.linux.ProcFs;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * (b) Stop latency of the chaos kit's 121-process {@code deep-tree}: the tree is started, the kit
 * must count all 121, then {@code session.stop()} is timed until it returns. The baseline sends
 * SIGTERM to all 121 pids at once with one {@code /bin/kill} and polls {@code /proc} (from this
 * JVM, pausing ~0.1 ms between passes) until none of them lives: the processes' own exit, without any supervisor.
 * Variants alternate within each repetition; after each, the kit must count 0 and {@code reap} runs.
 */
final class StopBench {
    static final int TREE_SIZE = 121;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration BASELINE_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_PAUSE_NANOS = 100_000;
    static final double TARGET_MILLIS = 50;

    enum Variant {
        CGROUP("Tether CGROUP", Containment.CGROUP),
        PROCESS_GROUP_AND_MARKER("Tether PROCESS_GROUP_AND_MARKER", Containment.PROCESS_GROUP_AND_MARKER),
        PORTABLE("Tether PORTABLE", Containment.PORTABLE),
        KILL_ALL_PIDS("baseline: one /bin/kill -TERM of all 121 pids", null);

        final String label;
        final Containment containment;

        Variant(String label, Containment containment) {
            this.label = label;
            this.containment = containment;
        }
    }

    /**
     * One repetition. {@code wallMillis}: stop() call to return (baseline: kill(1) started to last
     * pid gone). {@code reportMillis}: StopReport.elapsed() (baseline: the kill(1) run itself).
     */
    record Sample(Variant variant, int repetition, double wallMillis, double reportMillis, int signalled, int killed) {}

    record Figure(Variant variant, String label, int repetitions, double wallMedianMillis, double wallP90Millis,
                  double reportMedianMillis, double reportP90Millis, Double targetMillis, Boolean targetMet) {}

    record Result(int treeSize, int repetitions, List<Sample> samples, List<Figure> figures) {}

    private final ChaosKit kit;
    private final int repetitions;

    StopBench(ChaosKit kit, int repetitions) {
        this.kit = kit;
        this.repetitions = repetitions;
    }

    Result run() {
        Map<Variant, Supervisor> supervisors = new EnumMap<>(Variant.class);
        List<Sample> samples = new ArrayList<>();
        try {
            for (Variant v : Variant.values()) {
                if (v.containment != null) {
                    supervisors.put(v, Supervisor.builder().containment(v.containment).shutdownHook(false).open());
                }
            }
            for (int rep = 0; rep <= repetitions; rep++) { // repetition 0 warms up and is not recorded
                List<Variant> order = new ArrayList<>(List.of(Variant.values()));
                Collections.rotate(order, rep);
                for (Variant v : order) {
                    String tag = kit.newTag("stop-" + v.name().toLowerCase().replace('_', '-') + "-" + rep);
                    try {
                        Sample s = v.containment != null ? tether(supervisors.get(v), v, rep, tag) : baseline(rep, tag);
                        if (rep > 0) {
                            samples.add(s);
                        }
                        System.out.printf("  stop   %-6s  %-46s wall %7.2f ms  report %7.2f ms%n",
                                rep == 0 ? "warmup" : "rep " + rep, v.label, s.wallMillis(), s.reportMillis());
                    } finally {
                        kit.reap(tag);
                    }
                }
            }
        } finally {
            supervisors.values().forEach(Supervisor::close);
        }
        return new Result(TREE_SIZE, repetitions, samples, figures(samples));
    }

    private Sample tether(Supervisor sup, Variant v, int rep, String tag) {
        Session session = sup.start(ProcessSpec.builder(kit.script("deep-tree").toString(), tag)
                .stdin(Stdio.discard()).stdout(Stdio.discard()).stderr(Stdio.discard()).build());
        kit.awaitSurvivors(tag, TREE_SIZE, SETTLE_TIMEOUT);
        long t0 = System.nanoTime();
        StopReport report = session.stop();
        long t1 = System.nanoTime();
        if (!report.clean()) {
            throw new IllegalStateException(v.label + " left " + report.survivors() + " survivor(s) of " + tag);
        }
        kit.assertNoneLeft(tag, v.label + " stop()");
        return new Sample(v, rep, Stats.round(Stats.millis(t0, t1), 3),
                Stats.round(report.elapsed().toNanos() / 1e6, 3), report.signalled(), report.killed());
    }

    private Sample baseline(int rep, String tag) {
        Process root = start(List.of(kit.script("deep-tree").toString(), tag), Redirect.INHERIT);
        try {
            kit.awaitSurvivors(tag, TREE_SIZE, SETTLE_TIMEOUT);
            Map<Long, Long> tree = new HashMap<>(); // pid -> start time, so a recycled pid is not waited for
            for (long pid : kit.survivorPids(tag)) {
                ProcFs.stat(pid).ifPresent(st -> tree.put(pid, st.startTime()));
            }
            if (tree.size() != TREE_SIZE) {
                throw new IllegalStateException("baseline " + tag + ": listed " + tree.size() + " of " + TREE_SIZE);
            }
            // Ascending pids: parents (forked first) before their children, as a top-down kill would.
            List<String> kill = new ArrayList<>(List.of("/bin/kill", "-TERM"));
            tree.keySet().stream().sorted().forEach(pid -> kill.add(Long.toString(pid)));
            long t0 = System.nanoTime();
            Process k = start(kill, Redirect.PIPE);
            String errors = stderrOf(k);
            waitFor(k);
            long killed = System.nanoTime();
            long deadline = t0 + BASELINE_TIMEOUT.toNanos();
            while (!tree.isEmpty()) {
                tree.entrySet().removeIf(e -> ProcFs.stat(e.getKey())
                        .map(st -> st.isZombie() || st.startTime() != e.getValue()).orElse(true));
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("baseline " + tag + ": " + tree.size() + " pid(s) outlived SIGTERM");
                }
                LockSupport.parkNanos(POLL_PAUSE_NANOS);
            }
            long t1 = System.nanoTime();
            // An inner sh node whose children all died returns from `wait` and exits by itself, and is
            // reaped by its parent before kill(1) reaches it: ESRCH there is the tree collapsing, not an error.
            boolean onlyGone = errors.lines().allMatch(l -> l.endsWith("No such process"));
            if (k.exitValue() != 0 && !(k.exitValue() == 1 && onlyGone)) {
                throw new IllegalStateException("/bin/kill exited " + k.exitValue() + " for " + tag + ": " + errors);
            }
            kit.assertNoneLeft(tag, "baseline kill");
            return new Sample(Variant.KILL_ALL_PIDS, rep, Stats.round(Stats.millis(t0, t1), 3),
                    Stats.round(Stats.millis(t0, killed), 3), TREE_SIZE, 0);
        } finally {
            root.destroyForcibly();
            waitFor(root);
        }
    }

    private static List<Figure> figures(List<Sample> samples) {
        List<Figure> out = new ArrayList<>();
        for (Variant v : Variant.values()) {
            List<Double> wall = samples.stream().filter(s -> s.variant() == v).map(Sample::wallMillis).toList();
            List<Double> report = samples.stream().filter(s -> s.variant() == v).map(Sample::reportMillis).toList();
            boolean tether = v.containment != null;
            double p50 = Stats.median(wall);
            out.add(new Figure(v, v.label, wall.size(), Stats.round(p50, 2), Stats.round(Stats.p90(wall), 2),
                    Stats.round(Stats.median(report), 2), Stats.round(Stats.p90(report), 2),
                    tether ? TARGET_MILLIS : null, tether ? p50 <= TARGET_MILLIS : null));
        }
        return out;
    }

    private static Process start(List<String> command, Redirect stderr) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(Redirect.from(new File("/dev/null")))
                .redirectOutput(Redirect.DISCARD).redirectError(stderr);
        pb.environment().remove("CHAOS_TAG");
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
    }

    private static String stderrOf(Process p) {
        try {
            return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the stderr of " + p.info().command().orElse("?"), e);
        }
    }

    private static void waitFor(Process p) {
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
