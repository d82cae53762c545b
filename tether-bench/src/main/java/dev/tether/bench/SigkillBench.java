package dev.tether.bench;

import dev.tether.Containment;
import dev.tether.linux.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * (d) Time from a supervisor JVM's SIGKILL to nothing left of its sessions. A {@link LifecycleChild}
 * JVM (own home, guardian on) starts {@link PeerChild#SCRIPT}'s tree (the 121-process deep tree
 * plus {@value PeerChild#ESCAPEES} double-fork-setsid escapees and their wrapper) as one session;
 * once the kit counts all of it, the bench SIGKILLs the JVM through its {@link Process} and polls
 * the tree's identities until none lives. Baseline: the same tree in a live supervisor JVM, gone
 * after {@code session.stop()} (timed from the bench sending {@code stop} to the same poll). Peer:
 * the same tree started by a plain {@link ProcessBuilder} in a JVM that is SIGKILLed: survivors counted.
 */
final class SigkillBench {
    static final double TARGET_MILLIS = 100;
    static final int PEER_REPETITIONS = 3;
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GONE_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** How long the peer's tree is given after the SIGKILL before its survivors are counted. */
    private static final Duration PEER_GRACE = Duration.ofSeconds(2);

    enum Variant {
        SIGKILL_CGROUP("Tether SIGKILL of the JVM, guardian, CGROUP", Containment.CGROUP, null),
        SIGKILL_MARKER("Tether SIGKILL of the JVM, guardian, PROCESS_GROUP_AND_MARKER", Containment.PROCESS_GROUP_AND_MARKER, null),
        STOP_CGROUP("baseline: session.stop() in a live supervisor, CGROUP", Containment.CGROUP, "stop"),
        STOP_MARKER("baseline: session.stop() in a live supervisor, PROCESS_GROUP_AND_MARKER", Containment.PROCESS_GROUP_AND_MARKER, "stop"),
        KILL_CGROUP("session.kill() (no grace) in a live supervisor, CGROUP", Containment.CGROUP, "kill"),
        KILL_MARKER("session.kill() (no grace) in a live supervisor, PROCESS_GROUP_AND_MARKER", Containment.PROCESS_GROUP_AND_MARKER, "kill");

        final String label;
        final Containment containment;
        final boolean sigkill;
        /** The command a live supervisor child is sent; null for a SIGKILL of the child. */
        final String command;

        Variant(String label, Containment containment, String command) {
            this.label = label;
            this.containment = containment;
            this.sigkill = command == null;
            this.command = command;
        }
    }

    /**
     * One repetition. {@code goneMillis}: SIGKILL (or {@code stop} sent) to the last tree process
     * gone. {@code jvmGoneMillis}: to the JVM's own exit (SIGKILL only). {@code guardianGoneMillis}:
     * to the guardian's exit, its work done (SIGKILL only). {@code childStopMillis}: the
     * child's own StopReport.elapsed() (stop only). {@code cgroupLeft}: the instance cgroup still
     * existed once the guardian had exited.
     */
    record Sample(Variant variant, int repetition, int processes, double goneMillis, double mainSessionGoneMillis,
                  double escapeesGoneMillis, Double jvmGoneMillis, Double guardianGoneMillis, Double childStopMillis,
                  boolean cgroupLeft) {}

    record Figure(Variant variant, String label, int repetitions, double medianMillis, double minMillis,
                  double maxMillis, double p90Millis, double mainSessionGoneMedianMillis, double escapeesGoneMedianMillis,
                  Double guardianGoneMedianMillis, Double targetMillis, Boolean targetMet) {}

    /** The peer: processes of the tree alive {@code PEER_GRACE} after the JVM that started them was SIGKILLed. */
    record PeerSample(int repetition, int processes, int survivors) {}

    record Result(int treeSize, int escapees, int repetitions, List<Sample> samples, List<Figure> figures,
                  List<PeerSample> peer) {}

    private final ChaosKit kit;
    private final Path work;
    private final int repetitions;

    SigkillBench(ChaosKit kit, Path work, int repetitions) {
        this.kit = kit;
        this.work = work;
        this.repetitions = repetitions;
    }

    Result run() {
        List<Sample> samples = new ArrayList<>();
        Map<Containment, ChildJvm> live = new EnumMap<>(Containment.class);
        try {
            for (Variant v : Variant.values()) {
                if (!v.sigkill && !live.containsKey(v.containment)) {
                    live.put(v.containment, child(v, "live"));
                }
            }
            for (int rep = 0; rep <= repetitions; rep++) { // repetition 0 warms up and is not recorded
                List<Variant> order = new ArrayList<>(List.of(Variant.values()));
                Collections.rotate(order, rep);
                for (Variant v : order) {
                    String tag = kit.newTag("sigkill-" + v.name().toLowerCase().replace('_', '-') + "-" + rep);
                    try {
                        Sample s = v.sigkill ? sigkill(v, rep, tag) : stop(live.get(v.containment), v, rep, tag);
                        if (rep > 0) {
                            samples.add(s);
                        }
                        System.out.printf("  sigkill %-6s  %-70s nothing left after %7.1f ms%s%n",
                                rep == 0 ? "warmup" : "rep " + rep, v.label, s.goneMillis(),
                                s.guardianGoneMillis() == null ? "" : String.format(" (JVM gone %.1f, guardian done %.1f)",
                                        s.jvmGoneMillis(), s.guardianGoneMillis()));
                    } finally {
                        kit.reap(tag);
                    }
                }
            }
        } finally {
            live.values().forEach(ChildJvm::close);
        }
        List<PeerSample> peer = new ArrayList<>();
        for (int rep = 1; rep <= Math.min(PEER_REPETITIONS, repetitions); rep++) {
            String tag = kit.newTag("sigkill-peer-" + rep);
            try {
                peer.add(peer(rep, tag));
                System.out.printf("  sigkill rep %d  peer: ProcessBuilder JVM SIGKILLed: %d of %d processes still alive after %s%n",
                        rep, peer.getLast().survivors(), peer.getLast().processes(), PEER_GRACE);
            } finally {
                kit.reap(tag);
                kit.assertNoneLeft(tag, "reaping the peer's tree");
            }
        }
        return new Result(PeerChild.TREE_SIZE, PeerChild.ESCAPEES, repetitions, samples, figures(samples), peer);
    }

    private ChildJvm child(Variant v, String what) {
        String name = (v.sigkill ? v.name() : v.containment.name()).toLowerCase() + "-" + what;
        return ChildJvm.start(LifecycleChild.class, List.of(v.containment.name(), kit.dir().toString()),
                Map.of("TETHER_HOME", work.resolve("sigkill/" + name).toString()), work.resolve("sigkill/" + name + ".log"));
    }

    /**
     * The tree split by session: the wrapper's own session (the deep tree and the escapees' first
     * processes) and the daemons that called setsid — under PROCESS_GROUP_AND_MARKER only the
     * marker finds the latter, so the split shows which mechanism took the time.
     */
    private record Tree(Map<Long, Long> inSession, Map<Long, Long> escapees) {
        static Tree of(Map<Long, Long> all, long mainPid) {
            long sid = ProcFs.stat(mainPid).orElseThrow(() -> new IllegalStateException("main " + mainPid + " is gone")).session();
            Map<Long, Long> in = new java.util.HashMap<>();
            Map<Long, Long> out = new java.util.HashMap<>();
            all.forEach((pid, start) -> (ProcFs.stat(pid).map(st -> st.session() == sid).orElse(true) ? in : out).put(pid, start));
            return new Tree(in, out);
        }

        int size() {
            return inSession.size() + escapees.size();
        }
    }

    /** Polls the tree until both parts are gone: when each part went, or -1 for a part still alive at the deadline. */
    private static long[] awaitGone(Tree tree, long deadline, Runnable alsoEachPass) {
        long[] gone = {-1, -1};
        while (gone[0] < 0 || gone[1] < 0) {
            alsoEachPass.run();
            List<Map<Long, Long>> parts = List.of(tree.inSession(), tree.escapees());
            for (int i = 0; i < 2; i++) {
                if (gone[i] < 0) {
                    parts.get(i).entrySet().removeIf(e -> !alive(e.getKey(), e.getValue()));
                    if (parts.get(i).isEmpty()) {
                        gone[i] = System.nanoTime();
                    }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return gone;
            }
            LockSupport.parkNanos(100_000);
        }
        return gone;
    }

    /** The tree of a {@code ready} answer, once the kit counts all of it: identities, each checked to carry the marker. */
    private Map<Long, Long> settledTree(String tag, String instance) {
        kit.awaitSurvivors(tag, PeerChild.TREE_SIZE, SETTLE_TIMEOUT);
        Map<Long, Long> tree = Procs.identities(kit.survivorPids(tag));
        if (tree.size() == PeerChild.TREE_SIZE && escapees(tree) != PeerChild.ESCAPEES) {
            throw new IllegalStateException(tag + ": expected " + PeerChild.ESCAPEES + " processes outside the tree's session");
        }
        if (tree.size() != PeerChild.TREE_SIZE) {
            throw new IllegalStateException(tag + ": listed " + tree.size() + " of " + PeerChild.TREE_SIZE + " processes");
        }
        if (instance != null) {
            List<Long> marked = Procs.carrying("TETHER_INSTANCE=" + instance);
            if (!marked.containsAll(tree.keySet())) {
                throw new IllegalStateException(tag + ": not every tree process carries TETHER_INSTANCE=" + instance);
            }
        }
        return tree;
    }

    private Sample sigkill(Variant v, int rep, String tag) {
        try (ChildJvm jvm = child(v, Integer.toString(rep))) {
            jvm.send("start " + tag);
            String[] ready = jvm.expect("ready", ANSWER_TIMEOUT).split(" ");
            String instance = ready[0];
            long guardianPid = Long.parseLong(ready[1]);
            Tree tree = Tree.of(settledTree(tag, instance), Long.parseLong(ready[2]));
            long guardianStart = ProcFs.stat(guardianPid).orElseThrow().startTime();
            long jvmStart = ProcFs.stat(jvm.pid()).orElseThrow().startTime();
            int processes = tree.size();
            long[] jvmGone = {-1};
            long[] guardianGone = {-1};
            long t0 = System.nanoTime();
            jvm.kill();
            long deadline = t0 + GONE_TIMEOUT.toNanos();
            long[] gone = awaitGone(tree, deadline, () -> {
                long now = System.nanoTime();
                if (jvmGone[0] < 0 && !alive(jvm.pid(), jvmStart)) {
                    jvmGone[0] = now;
                }
                if (guardianGone[0] < 0 && !alive(guardianPid, guardianStart)) {
                    guardianGone[0] = now;
                }
            });
            if (gone[0] < 0 || gone[1] < 0) {
                throw new IllegalStateException(v.label + ": " + tree.size() + " of " + processes + " processes of " + tag
                        + " still alive " + GONE_TIMEOUT + " after the SIGKILL (guardian " + (guardianGone[0] < 0 ? "alive" : "gone")
                        + "); this is a containment failure");
            }
            while (guardianGone[0] < 0 && System.nanoTime() - deadline < 0) {
                if (!alive(guardianPid, guardianStart)) {
                    guardianGone[0] = System.nanoTime();
                }
                LockSupport.parkNanos(100_000);
            }
            jvm.awaitExit(Duration.ofSeconds(10));
            boolean cgroupLeft = !ready[3].equals("-") && Files.exists(Path.of(ready[3]));
            if (cgroupLeft) {
                removeEmptyCgroup(Path.of(ready[3]));
            }
            check(tag, instance, v);
            return new Sample(v, rep, processes, ms(t0, Math.max(gone[0], gone[1])), ms(t0, gone[0]), ms(t0, gone[1]),
                    jvmGone[0] < 0 ? null : ms(t0, jvmGone[0]), guardianGone[0] < 0 ? null : ms(t0, guardianGone[0]), null, cgroupLeft);
        }
    }

    private Sample stop(ChildJvm jvm, Variant v, int rep, String tag) {
        jvm.send("start " + tag);
        String[] ready = jvm.expect("ready", ANSWER_TIMEOUT).split(" ");
        String instance = ready[0];
        Tree tree = Tree.of(settledTree(tag, instance), Long.parseLong(ready[2]));
        int processes = tree.size();
        long t0 = System.nanoTime();
        jvm.send(v.command);
        long[] gone = awaitGone(tree, t0 + GONE_TIMEOUT.toNanos(), () -> { });
        if (gone[0] < 0 || gone[1] < 0) {
            throw new IllegalStateException(v.label + ": " + tree.size() + " processes of " + tag + " outlived the " + v.command);
        }
        String[] stopped = jvm.expect("stopped", ANSWER_TIMEOUT).split(" ");
        if (!stopped[3].equals("0")) {
            throw new IllegalStateException(v.label + ": the child's stop report names " + stopped[3] + " survivor(s)");
        }
        check(tag, instance, v);
        return new Sample(v, rep, processes, ms(t0, Math.max(gone[0], gone[1])), ms(t0, gone[0]), ms(t0, gone[1]), null, null,
                Stats.round(Double.parseDouble(stopped[0]), 3), false);
    }

    private PeerSample peer(int rep, String tag) {
        try (ChildJvm jvm = ChildJvm.start(PeerChild.class, List.of(kit.dir().toString()), Map.of(),
                work.resolve("sigkill/peer-" + rep + ".log"))) {
            jvm.send("start " + tag);
            jvm.expect("ready", ANSWER_TIMEOUT);
            int processes = settledTree(tag, null).size();
            jvm.kill();
            jvm.awaitExit(Duration.ofSeconds(10));
            LockSupport.parkNanos(PEER_GRACE.toNanos());
            return new PeerSample(rep, processes, kit.survivors(tag));
        }
    }

    private void check(String tag, String instance, Variant v) {
        List<Long> marked = Procs.carrying("TETHER_INSTANCE=" + instance);
        if (!marked.isEmpty()) {
            throw new IllegalStateException(v.label + ": " + marked.size() + " process(es) still carry TETHER_INSTANCE="
                    + instance + ": " + marked);
        }
        kit.assertNoneLeft(tag, v.label);
    }

    /** Sessions other than the wrapper's: each escapee daemon leads one of its own. */
    private static long escapees(Map<Long, Long> tree) {
        return tree.keySet().stream().map(ProcFs::stat).filter(java.util.Optional::isPresent)
                .map(st -> st.get().session()).distinct().count() - 1;
    }

    private static boolean alive(long pid, long startTime) {
        return ProcFs.stat(pid).map(st -> !st.isZombie() && st.startTime() == startTime).orElse(false);
    }

    /** rmdir only: the kernel refuses to remove a cgroup that still has a process or a child cgroup. */
    private static void removeEmptyCgroup(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path d : walk.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(d);
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("  sigkill: cannot remove the instance cgroup " + dir + " left behind: " + e.getMessage());
        }
    }

    private static double ms(long from, long to) {
        return Stats.round(Stats.millis(from, to), 3);
    }

    private static List<Figure> figures(List<Sample> samples) {
        List<Figure> out = new ArrayList<>();
        for (Variant v : Variant.values()) {
            List<Sample> mine = samples.stream().filter(s -> s.variant() == v).toList();
            List<Double> ms = mine.stream().map(Sample::goneMillis).toList();
            double median = Stats.median(ms);
            Double guardian = v.sigkill ? Stats.round(Stats.median(mine.stream().map(Sample::guardianGoneMillis)
                    .filter(java.util.Objects::nonNull).toList()), 2) : null;
            out.add(new Figure(v, v.label, mine.size(), Stats.round(median, 2), Stats.round(Stats.min(ms), 2),
                    Stats.round(Stats.max(ms), 2), Stats.round(Stats.p90(ms), 2),
                    Stats.round(Stats.median(mine.stream().map(Sample::mainSessionGoneMillis).toList()), 2),
                    Stats.round(Stats.median(mine.stream().map(Sample::escapeesGoneMillis).toList()), 2), guardian,
                    v.sigkill ? TARGET_MILLIS : null, v.sigkill ? median <= TARGET_MILLIS : null));
        }
        return out;
    }

    /** For the report: the baseline of a SIGKILL variant is the stop() of the same containment. */
    static Variant baselineOf(Variant v) {
        return v.containment == Containment.CGROUP ? Variant.STOP_CGROUP : Variant.STOP_MARKER;
    }

    /** The kill() of the same containment, shown beside the baseline. */
    static Variant killOf(Variant v) {
        return v.containment == Containment.CGROUP ? Variant.KILL_CGROUP : Variant.KILL_MARKER;
    }
}
