package dev.tether.bench;

import java.time.Duration;

/**
 * Runs Tether's benchmarks (spawn-and-reap rate, stop latency of a deep tree, marker scan rate)
 * and writes {@code results/latest.md} and {@code results/latest.json}. Figures, not tests: it
 * fails only when a process of its own survives, which would be a containment bug.
 *
 * <p>Run from the repository root: {@code ./mvnw -q -B -pl tether-bench -am package -DskipTests -Pbench}
 * (JAVA_HOME set to a JDK 25). See {@link BenchOptions#USAGE} for the knobs.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        BenchOptions opts;
        try {
            opts = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        ChaosKit kit = new ChaosKit(opts.chaosDir());
        Machine machine = Machine.probe(opts.repo());
        System.out.printf("tether-bench: %s, %d cores, %s, commit %s%n", machine.kernel(), machine.cores(),
                machine.jdk(), machine.gitCommit());
        long t0 = System.nanoTime();
        SpawnBench.Result spawn = null;
        StopBench.Result stop = null;
        ScanBench.Result scan = null;
        try {
            if (opts.sections().contains(BenchOptions.Section.SPAWN)) {
                System.out.println("(a) spawn-and-reap rate of /bin/true");
                spawn = new SpawnBench(opts.spawns(), opts.rounds()).run();
            }
            if (opts.sections().contains(BenchOptions.Section.STOP)) {
                System.out.println("(b) stop latency of the 121-process deep tree");
                stop = new StopBench(kit, opts.stopRepetitions()).run();
            }
            if (opts.sections().contains(BenchOptions.Section.SCAN)) {
                System.out.println("(c) marker scan rate over /proc");
                scan = new ScanBench(kit, opts.rounds(), opts.scansPerRound()).run();
            }
        } finally {
            for (String tag : kit.tags()) {
                kit.reap(tag);
            }
        }
        for (String tag : kit.tags()) {
            kit.assertNoneLeft(tag, "end of the bench");
        }
        Report.write(opts.out(), machine, Machine.loadAverage(), spawn, stop, scan);
        System.out.printf("tether-bench: done in %s; %d tags checked, none left; wrote %s/latest.{md,json}%n",
                Duration.ofNanos(System.nanoTime() - t0).withNanos(0), kit.tags().size(), opts.out());
    }
}
