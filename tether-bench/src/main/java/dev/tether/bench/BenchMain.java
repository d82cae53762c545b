package dev.tether.bench;

import dev.tether.bench.BenchOptions.Section;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Runs Tether's benchmarks (spawn-and-reap rate, stop latency of a deep tree, marker scan rate;
 * SIGKILL to nothing left, registry cost, guardian memory; the daemon's list rate, concurrent
 * start/stop and idle cost) and writes {@code results/latest.md} and {@code results/latest.json}.
 * Figures, not tests: it fails only when a process of its own survives or a session is lost,
 * which would be a containment bug.
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
        String options = Arrays.stream(args).skip(1).filter(a -> !a.isBlank()).collect(Collectors.joining(" "));
        System.out.printf("tether-bench: %s, %d cores, %s, commit %s%n", machine.kernel(), machine.cores(),
                machine.jdk(), machine.gitCommit());
        long t0 = System.nanoTime();
        SpawnBench.Result spawn = null;
        StopBench.Result stop = null;
        ScanBench.Result scan = null;
        SigkillBench.Result sigkill = null;
        RegistryBench.Result registry = null;
        GuardianBench.Result guardian = null;
        ServeBench.Result serve = null;
        ChurnBench.Result churn = null;
        try {
            if (opts.runs(Section.SPAWN)) {
                System.out.println("(a) spawn-and-reap rate of /bin/true");
                spawn = new SpawnBench(opts.spawns(), opts.spawnWarmup(), opts.rounds()).run();
            }
            if (opts.runs(Section.STOP)) {
                System.out.println("(b) stop latency of the 121-process deep tree");
                stop = new StopBench(kit, opts.stopRepetitions()).run();
            }
            if (opts.runs(Section.SCAN)) {
                System.out.println("(c) marker scan rate over /proc");
                scan = new ScanBench(kit, opts.rounds(), opts.scansPerRound()).run();
            }
            if (opts.runs(Section.SIGKILL)) {
                System.out.println("(d) SIGKILL of the supervisor JVM: time to nothing left");
                sigkill = new SigkillBench(kit, opts.work(), opts.lifecycleRepetitions()).run();
            }
            if (opts.runs(Section.REGISTRY)) {
                System.out.println("(e) registry cost per session and per live read");
                registry = new RegistryBench(opts.work().resolve("registry"), opts.rounds()).run();
            }
            if (opts.runs(Section.GUARDIAN)) {
                System.out.println("(f) the guardian's memory");
                guardian = new GuardianBench(kit, opts.work().resolve("guardian")).run();
            }
            if (opts.runs(Section.SERVE_LIST) || opts.runs(Section.SERVE_IDLE)) {
                System.out.println("(g, i) the daemon with " + opts.liveSessions() + " live sessions: GET /sessions rate, idle cost");
                serve = new ServeBench(kit, opts).run(opts.runs(Section.SERVE_IDLE), opts.runs(Section.SERVE_LIST));
            }
            if (opts.runs(Section.SERVE_CHURN)) {
                System.out.println("(h) the daemon under " + opts.churnClients() + " concurrent clients starting and stopping sessions");
                churn = new ChurnBench(kit, opts).run();
            }
        } finally {
            for (String tag : kit.tags()) {
                kit.reap(tag);
            }
        }
        for (String tag : kit.tags()) {
            kit.assertNoneLeft(tag, "end of the bench");
        }
        Report.write(opts.out(), machine, Machine.loadAverage(), options,
                new Results(spawn, stop, scan, sigkill, registry, guardian, serve, churn));
        System.out.printf("tether-bench: done in %s; %d tags checked, none left; wrote %s/latest.{md,json}%n",
                Duration.ofNanos(System.nanoTime() - t0).withNanos(0), kit.tags().size(), opts.out());
    }
}
