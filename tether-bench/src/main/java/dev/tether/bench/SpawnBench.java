package dev.tether.bench;

import dev.tether.Containment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * (a) Spawn-and-reap rate of {@code /bin/true}: N sequential spawns, each awaited until it has
 * exited (and, for Tether, until its session is fully stopped), as processes per second. Each
 * run is a fresh JVM ({@link SpawnWorker}) with its own warm-up; every variant runs once per
 * round, the order rotating each round; the median round counts, and each figure is a ratio to
 * the ProcessBuilder baseline of the same thread count. A run that wedges is recorded as hung.
 */
final class SpawnBench {
    static final String TRUE = "/bin/true";
    private static final long RUN_HARD_LIMIT_SECONDS = 300;

    enum Variant {
        PROCESS_BUILDER("ProcessBuilder (baseline)", null, Double.NaN, false),
        CGROUP("Tether CGROUP", Containment.CGROUP, 1.0, true),
        PROCESS_GROUP_AND_MARKER("Tether PROCESS_GROUP_AND_MARKER", Containment.PROCESS_GROUP_AND_MARKER, 1.5, true),
        PORTABLE("Tether PORTABLE", Containment.PORTABLE, Double.NaN, true),
        /** What the registry's writes per session cost: the same supervisor with {@code registry(false)}. */
        CGROUP_NO_REGISTRY("Tether CGROUP, registry off", Containment.CGROUP, Double.NaN, false),
        PROCESS_GROUP_AND_MARKER_NO_REGISTRY("Tether PROCESS_GROUP_AND_MARKER, registry off",
                Containment.PROCESS_GROUP_AND_MARKER, Double.NaN, false);

        final String label;
        final Containment containment;
        /** Target ratio to the baseline (from the issue); NaN where none was set. */
        final double target;
        /** Whether the supervisor records its sessions in a registry (the default). */
        final boolean registry;

        Variant(String label, Containment containment, double target, boolean registry) {
            this.label = label;
            this.containment = containment;
            this.target = target;
            this.registry = registry;
        }
    }

    /**
     * One run. When a spawn was never seen to end, {@code hung} holds the worker's diagnosis and the
     * rate covers the {@code completed} spawns up to the last one that ended.
     */
    /** {@code warmupSpawns}: how many the worker ran before measuring (-1 for a hung run). */
    record Run(Variant variant, int threads, int round, int spawns, int warmupSpawns, int completed, double seconds,
               double perSecond, Map<String, Double> phaseMedianMicros, String hung) {}

    /** {@code hungRuns}: rounds whose rate covers only the spawns completed before a hang. */
    record Figure(Variant variant, String label, int threads, List<Double> perSecondByRound, int hungRuns,
                  double medianPerSecond, double ratioToBaseline, Double targetRatio, Boolean targetMet) {}

    /** Where one single-thread spawn's time goes, seen from the caller: medians of the per-run medians (µs). */
    record Phases(Variant variant, int runs, double startMicros, double startToEndMicros, double totalMicros) {}

    record Result(int spawnsPerRun, int rounds, int warmupSpawns, List<Run> runs, List<Figure> figures,
                  List<Phases> phases) {}

    private static final List<Variant> ONE_THREAD = List.of(Variant.values());
    private static final List<Variant> TWO_THREADS =
            List.of(Variant.PROCESS_BUILDER, Variant.CGROUP, Variant.PROCESS_GROUP_AND_MARKER);

    private final int spawns;
    private final int rounds;
    private final int warmup;

    /**
     * @param warmup the most spawns before the measured ones, in the same JVM: the worker stops
     *               earlier once the JIT has settled. Tether's per-spawn methods run once per
     *               spawn, so C2 compiles them only after thousands of spawns; with a fixed 2,000
     *               the compiler was still at work through the measured ones, and on 2 cores a new
     *               child queued behind a compiler thread for milliseconds (seen in
     *               {@code perf} scheduler traces). The baseline warms up by the same rule.
     */
    SpawnBench(int spawns, int warmup, int rounds) {
        this.spawns = spawns;
        this.rounds = rounds;
        this.warmup = warmup;
    }

    Result run() {
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Variant v : rotate(ONE_THREAD, round)) {
                runs.add(inFreshJvm(v, 1, round));
            }
            for (Variant v : rotate(TWO_THREADS, round)) {
                runs.add(inFreshJvm(v, 2, round));
            }
        }
        return new Result(spawns, rounds, warmup, runs, figures(runs), phases(runs));
    }

    private Run inFreshJvm(Variant v, int threads, int round) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SpawnWorker.class.getName(), v.name(), Integer.toString(threads), Integer.toString(spawns),
                Integer.toString(warmup));
        Path log = null;
        Path home = null;
        try {
            log = Files.createTempFile("tether-spawn-worker-", ".log");
            // A registry of its own per run: one that kept every earlier run's ended sessions
            // (72 MB after a few bench runs) made each commit touch more pages, and runs slower.
            home = Files.createTempDirectory("tether-spawn-home-");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(log.toFile());
            pb.environment().put("TETHER_HOME", home.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(RUN_HARD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(v.label + " worker did not finish within " + RUN_HARD_LIMIT_SECONDS + " s");
            }
            Path errors = log;
            String line = out.lines().filter(l -> l.startsWith("result ") || l.startsWith("hung ")).reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException(v.label + " worker exited " + p.exitValue()
                            + " without a result; its stderr ends:\n" + tail(errors)));
            Run r = parse(v, threads, round, line);
            System.out.printf("  spawn  round %d  %-34s %d thread(s): %s%n", round, v.label, threads,
                    String.format("%7.1f /s", r.perSecond()) + (r.hung() == null ? ""
                            : " over " + r.completed() + " spawns, then HUNG: " + r.hung()));
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run the " + v.label + " worker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            deleteQuietly(log);
            deleteQuietly(home);
        }
    }

    /**
     * Removes the instance cgroup a halted worker left (its main process exited; the gate or a
     * {@code /bin/true} of the other thread may take a moment to go). rmdir fails on a populated
     * cgroup, so this can never remove a live member's cgroup; failing to remove it is an error.
     */
    private static void removeLeftCgroup(Path instance) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (Files.exists(instance)) {
            try (var walk = Files.walk(instance)) {
                for (Path dir : walk.filter(Files::isDirectory)
                        .sorted((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount())).toList()) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException | UncheckedIOException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("a hung worker left cgroup " + instance + " and it cannot be removed: "
                            + e.getMessage(), e);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Removes a temporary file or directory tree; what is left behind in the temp directory is harmless. */
    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // harmless
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private Run parse(Variant v, int threads, int round, String line) {
        if (line.startsWith("hung ")) {
            String[] f = line.substring(5).split(" ", 4);
            int done = Integer.parseInt(f[0].substring("completed=".length()));
            double seconds = Double.parseDouble(f[1].substring("seconds=".length()));
            String cgroup = f[2].substring("cgroup=".length());
            if (!cgroup.equals("none")) {
                removeLeftCgroup(Path.of(cgroup));
            }
            return new Run(v, threads, round, spawns, -1, done, Stats.round(seconds, 4),
                    done == 0 ? Double.NaN : Stats.round(done / seconds, 1), Map.of(), f[3]);
        }
        Map<String, Double> kv = new HashMap<>();
        for (String field : line.substring(7).trim().split(" ")) {
            int eq = field.indexOf('=');
            kv.put(field.substring(0, eq), Double.parseDouble(field.substring(eq + 1)));
        }
        double seconds = kv.remove("seconds");
        int warmedUp = kv.remove("warmup").intValue();
        return new Run(v, threads, round, spawns, warmedUp, spawns, Stats.round(seconds, 4), Stats.round(spawns / seconds, 1),
                Map.copyOf(kv), null);
    }

    private static List<Figure> figures(List<Run> runs) {
        List<Figure> out = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            double baseline = Double.NaN;
            for (Variant v : threads == 1 ? ONE_THREAD : TWO_THREADS) {
                List<Run> mine = runs.stream().filter(r -> r.variant() == v && r.threads() == threads).toList();
                List<Double> rates = mine.stream().map(Run::perSecond).filter(x -> !Double.isNaN(x)).toList();
                int hung = (int) mine.stream().filter(r -> r.hung() != null).count();
                double median = Stats.median(rates);
                if (v == Variant.PROCESS_BUILDER) {
                    baseline = median;
                }
                double ratio = median / baseline;
                boolean hasTarget = !Double.isNaN(v.target);
                out.add(new Figure(v, v.label, threads, rates, hung, Stats.round(median, 1), Stats.round(ratio, 3),
                        hasTarget ? v.target : null, hasTarget && !rates.isEmpty() ? ratio >= v.target : null));
            }
        }
        return out;
    }

    private static List<Phases> phases(List<Run> runs) {
        List<Phases> out = new ArrayList<>();
        for (Variant v : ONE_THREAD) {
            List<Map<String, Double>> p = runs.stream().filter(r -> r.variant() == v && r.threads() == 1
                    && r.hung() == null).map(Run::phaseMedianMicros).toList();
            out.add(new Phases(v, p.size(), median(p, "start"), median(p, "toEnd"), median(p, "total")));
        }
        return out;
    }

    private static double median(List<Map<String, Double>> maps, String key) {
        return Stats.round(Stats.median(maps.stream().map(m -> m.get(key)).toList()), 1);
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> out = new ArrayList<>(list);
        Collections.rotate(out, by);
        return out;
    }
}
