package dev.tether.bench;

import dev.tether.Containment;
import dev.tether.ProcessInfo;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import dev.tether.linux.LinuxPlatform;
import dev.tether.linux.ProcFs;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * (c) Marker scan rate over {@code /proc}, with a 364-process {@code deep-tree TAG 5 3} running
 * under a PROCESS_GROUP_AND_MARKER supervisor as load. Tether's own scan is reached through public
 * entry points only: the platform SPI's {@code createScope(...).members()} (which is
 * {@code MarkerScope.members()}: pids, then stat and environ of each) and
 * {@code LinuxPlatform.markedProcesses()}. Baselines: plain {@code Files.readAllBytes} of every
 * {@code /proc/<pid>/environ}, and of stat plus environ (the same reads members() makes).
 */
final class ScanBench {
    static final int LOAD_DEPTH = 5;
    static final int LOAD_FANOUT = 3;
    static final int LOAD_SIZE = 364; // 1 + 3 + 9 + 27 + 81 inner sh nodes + 243 sleep leaves
    static final double TARGET_PER_SECOND = 20_000;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Path PROC = Path.of("/proc");

    enum Method {
        MARKER_SCOPE_MEMBERS("Tether MarkerScope.members() (pids + stat + environContains)"),
        MARKED_PROCESSES("Tether LinuxPlatform.markedProcesses() (pids + environValue, describe on match)"),
        READ_ENVIRON("baseline: Files.readAllBytes(/proc/*/environ)"),
        READ_STAT_AND_ENVIRON("baseline: Files.readAllBytes(/proc/*/stat and /proc/*/environ)");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    record Sample(Method method, int round, int processes, double millis, int matches) {}

    record Figure(Method method, String label, int scans, double processesMedian, double millisMedian,
                  double millisP90, double perSecondMedian, Double targetPerSecond, Boolean targetMet) {}

    record Result(int loadProcesses, int rounds, int scansPerRound, List<Sample> samples, List<Figure> figures) {}

    private final ChaosKit kit;
    private final int rounds;
    private final int scansPerRound;

    ScanBench(ChaosKit kit, int rounds, int scansPerRound) {
        this.kit = kit;
        this.rounds = rounds;
        this.scansPerRound = scansPerRound;
    }

    Result run() {
        String tag = kit.newTag("scan-load");
        List<Sample> samples = new ArrayList<>();
        try (Supervisor sup = Supervisor.builder().containment(Containment.PROCESS_GROUP_AND_MARKER)
                .shutdownHook(false).open()) {
            Session load = sup.start(ProcessSpec.builder(kit.script("deep-tree").toString(), tag,
                            Integer.toString(LOAD_DEPTH), Integer.toString(LOAD_FANOUT))
                    .stdin(Stdio.discard()).stdout(Stdio.discard()).stderr(Stdio.discard()).build());
            try {
                kit.awaitSurvivors(tag, LOAD_SIZE, SETTLE_TIMEOUT);
                LinuxPlatform platform = LinuxPlatform.create(false);
                SessionScope scope = platform.createScope(new ScopeKey(sup.instanceId(), load.id()));
                scope.bind(load.processId());
                for (Method m : Method.values()) {
                    for (int i = 0; i < Math.max(3, scansPerRound / 4); i++) {
                        scan(m, scope, platform, load.id(), 0); // warm-up, not recorded
                    }
                }
                for (int round = 1; round <= rounds; round++) {
                    List<Method> order = new ArrayList<>(List.of(Method.values()));
                    Collections.rotate(order, round);
                    for (Method m : order) {
                        for (int i = 0; i < scansPerRound; i++) {
                            samples.add(scan(m, scope, platform, load.id(), round));
                        }
                    }
                }
            } finally {
                StopReport r = load.stop();
                kit.assertNoneLeft(tag, "stopping the scan load (" + r + ")");
                kit.reap(tag);
            }
        }
        List<Figure> figures = figures(samples);
        figures.forEach(f -> System.out.printf("  scan   %-80s %6.2f ms  %9.0f processes/s%n",
                f.label(), f.millisMedian(), f.perSecondMedian()));
        return new Result(LOAD_SIZE, rounds, scansPerRound, samples, figures);
    }

    private static Sample scan(Method m, SessionScope scope, LinuxPlatform platform, String sessionId, int round) {
        int processes = ProcFs.pids().length;
        long t0 = System.nanoTime();
        int matches = switch (m) {
            case MARKER_SCOPE_MEMBERS -> scope.members().size();
            case MARKED_PROCESSES -> (int) platform.markedProcesses().stream().map(ProcessInfo::session)
                    .filter(s -> s.equals(Optional.of(sessionId))).count();
            case READ_ENVIRON -> readAll(false);
            case READ_STAT_AND_ENVIRON -> readAll(true);
        };
        long t1 = System.nanoTime();
        boolean tetherScan = m == Method.MARKER_SCOPE_MEMBERS || m == Method.MARKED_PROCESSES;
        if (tetherScan && matches != LOAD_SIZE) {
            throw new IllegalStateException(m.label + " found " + matches + " members of the load, expected " + LOAD_SIZE);
        }
        return new Sample(m, round, processes, Stats.round(Stats.millis(t0, t1), 3), matches);
    }

    /** Reads every readable environ (and stat); returns how many environ files could be read. */
    private static int readAll(boolean stat) {
        int read = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                char c = p.getFileName().toString().charAt(0);
                if (c < '1' || c > '9') {
                    continue;
                }
                try {
                    if (stat) {
                        Files.readAllBytes(p.resolve("stat"));
                    }
                    Files.readAllBytes(p.resolve("environ"));
                    read++;
                } catch (IOException e) {
                    // gone meanwhile, a kernel thread's or pid 1's environ: skipped, as Tether does
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return read;
    }

    private static List<Figure> figures(List<Sample> samples) {
        List<Figure> out = new ArrayList<>();
        for (Method m : Method.values()) {
            List<Sample> mine = samples.stream().filter(s -> s.method() == m).toList();
            List<Double> ms = mine.stream().map(Sample::millis).toList();
            List<Double> rates = mine.stream().map(s -> s.processes() / s.millis() * 1000).toList();
            double rate = Stats.median(rates);
            boolean tether = m == Method.MARKER_SCOPE_MEMBERS || m == Method.MARKED_PROCESSES;
            out.add(new Figure(m, m.label, mine.size(),
                    Stats.median(mine.stream().map(s -> (double) s.processes()).toList()),
                    Stats.round(Stats.median(ms), 3), Stats.round(Stats.p90(ms), 3), Stats.round(rate, 0),
                    tether ? TARGET_PER_SECOND : null, tether ? rate >= TARGET_PER_SECOND : null));
        }
        return out;
    }
}
