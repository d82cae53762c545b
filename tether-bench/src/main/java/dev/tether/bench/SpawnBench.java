package dev.tether.bench;

import dev.tether.Containment;
import dev.tether.Exit;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * (a) Spawn-and-reap rate of {@code /bin/true}: N sequential spawns, each awaited until it has
 * exited (and, for Tether, until its session is fully stopped), as processes per second. Every
 * variant runs once per round, the order rotating each round; the median round counts, and each
 * figure is a ratio to the ProcessBuilder baseline of the same thread count.
 */
final class SpawnBench {
    static final String TRUE = "/bin/true";

    enum Variant {
        PROCESS_BUILDER("ProcessBuilder (baseline)", null, Double.NaN),
        CGROUP("Tether CGROUP", Containment.CGROUP, 1.0),
        PROCESS_GROUP_AND_MARKER("Tether PROCESS_GROUP_AND_MARKER", Containment.PROCESS_GROUP_AND_MARKER, 1.5),
        PORTABLE("Tether PORTABLE", Containment.PORTABLE, Double.NaN);

        final String label;
        final Containment containment;
        /** Target ratio to the baseline (from the issue); NaN where none was set. */
        final double target;

        Variant(String label, Containment containment, double target) {
            this.label = label;
            this.containment = containment;
            this.target = target;
        }
    }

    record Run(Variant variant, int threads, int round, int spawns, double seconds, double perSecond) {}

    record Figure(Variant variant, String label, int threads, List<Double> perSecondByRound, double medianPerSecond,
                  double ratioToBaseline, Double targetRatio, Boolean targetMet) {}

    /** Medians over every single-thread spawn: where one spawn's time goes, as seen from the caller. */
    record Phases(Variant variant, int samples, double startMicros, double startToExitSeenMicros,
                  double exitSeenToStoppedMicros, double totalMicros) {}

    record Result(int spawnsPerRun, int rounds, int warmupSpawns, List<Run> runs, List<Figure> figures,
                  List<Phases> phases) {}

    private static final List<Variant> ONE_THREAD = List.of(Variant.values());
    private static final List<Variant> TWO_THREADS =
            List.of(Variant.PROCESS_BUILDER, Variant.CGROUP, Variant.PROCESS_GROUP_AND_MARKER);

    private final int spawns;
    private final int rounds;
    private final int warmup;
    private final Map<Variant, PhaseSamples> phases = new EnumMap<>(Variant.class);

    SpawnBench(int spawns, int rounds) {
        this.spawns = spawns;
        this.rounds = rounds;
        this.warmup = Math.max(20, Math.min(300, spawns / 10));
    }

    Result run() {
        for (Variant v : ONE_THREAD) {
            measure(v, 1, warmup, false);
        }
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Variant v : rotate(ONE_THREAD, round)) {
                runs.add(timed(v, 1, round));
            }
            for (Variant v : rotate(TWO_THREADS, round)) {
                runs.add(timed(v, 2, round));
            }
        }
        return new Result(spawns, rounds, warmup, runs, figures(runs),
                phases.entrySet().stream().map(e -> e.getValue().summary(e.getKey())).toList());
    }

    private Run timed(Variant v, int threads, int round) {
        double seconds = measure(v, threads, spawns, threads == 1);
        Run r = new Run(v, threads, round, spawns, Stats.round(seconds, 4), Stats.round(spawns / seconds, 1));
        System.out.printf("  spawn  round %d  %-34s %d thread(s): %7.1f /s%n", round, v.label, threads, r.perSecond());
        return r;
    }

    private static List<Figure> figures(List<Run> runs) {
        List<Figure> out = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            double baseline = Double.NaN;
            for (Variant v : threads == 1 ? ONE_THREAD : TWO_THREADS) {
                List<Double> rates = runs.stream().filter(r -> r.variant() == v && r.threads() == threads)
                        .map(Run::perSecond).toList();
                double median = Stats.median(rates);
                if (v == Variant.PROCESS_BUILDER) {
                    baseline = median;
                }
                double ratio = median / baseline;
                boolean hasTarget = !Double.isNaN(v.target);
                out.add(new Figure(v, v.label, threads, rates, Stats.round(median, 1), Stats.round(ratio, 3),
                        hasTarget ? v.target : null, hasTarget ? ratio >= v.target : null));
            }
        }
        return out;
    }

    /** Runs {@code count} spawns of the variant on {@code threads} threads; returns the wall time in seconds. */
    private double measure(Variant v, int threads, int count, boolean recordPhases) {
        PhaseSamples samples = recordPhases ? phases.computeIfAbsent(v, k -> new PhaseSamples()) : null;
        Supervisor sup = v.containment == null ? null
                : Supervisor.builder().containment(v.containment).shutdownHook(false).open();
        try {
            long t0 = System.nanoTime();
            if (threads == 1) {
                loop(v, sup, count, samples);
            } else {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                List<Thread> workers = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int share = count / threads + (i < count % threads ? 1 : 0);
                    workers.add(Thread.ofPlatform().name("spawn-bench-" + i).start(() -> {
                        try {
                            loop(v, sup, share, null);
                        } catch (Throwable t) {
                            failure.compareAndSet(null, t);
                        }
                    }));
                }
                for (Thread w : workers) {
                    w.join();
                }
                if (failure.get() != null) {
                    throw new IllegalStateException(v.label + " failed on a worker thread", failure.get());
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (sup != null) {
                sup.close();
            }
        }
    }

    private static void loop(Variant v, Supervisor sup, int count, PhaseSamples samples) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(TRUE).redirectInput(Redirect.INHERIT)
                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
        ProcessSpec spec = ProcessSpec.builder(TRUE).stdout(Stdio.discard()).stderr(Stdio.discard()).build();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            long started;
            long exited;
            long stopped;
            if (sup == null) {
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    throw new IllegalStateException("ProcessBuilder could not start " + TRUE, e);
                }
                started = System.nanoTime();
                int code = p.waitFor();
                exited = stopped = System.nanoTime();
                if (code != 0) {
                    throw new IllegalStateException(TRUE + " exited " + code + " under ProcessBuilder");
                }
            } else {
                Session s = sup.start(spec);
                started = System.nanoTime();
                s.onExit().join();
                exited = System.nanoTime();
                StopReport r = s.onStopped().join();
                stopped = System.nanoTime();
                if (!r.clean() || !(r.exit() instanceof Exit.Exited(int code) && code == 0)) {
                    throw new IllegalStateException(TRUE + " under " + v.label + " ended badly: " + r);
                }
            }
            if (samples != null) {
                samples.add(t0, started, exited, stopped);
            }
        }
    }

    private static <T> List<T> rotate(List<T> list, int by) {
        List<T> out = new ArrayList<>(list);
        java.util.Collections.rotate(out, by);
        return out;
    }

    /** Per-spawn phase durations in microseconds, for one variant. */
    private static final class PhaseSamples {
        private final List<Double> start = new ArrayList<>();
        private final List<Double> toExit = new ArrayList<>();
        private final List<Double> toStopped = new ArrayList<>();
        private final List<Double> total = new ArrayList<>();

        void add(long t0, long started, long exited, long stopped) {
            start.add((started - t0) / 1e3);
            toExit.add((exited - started) / 1e3);
            toStopped.add((stopped - exited) / 1e3);
            total.add((stopped - t0) / 1e3);
        }

        Phases summary(Variant v) {
            return new Phases(v, total.size(), Stats.round(Stats.median(start), 1), Stats.round(Stats.median(toExit), 1),
                    Stats.round(Stats.median(toStopped), 1), Stats.round(Stats.median(total), 1));
        }
    }
}
