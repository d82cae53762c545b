package dev.tether.bench;

import dev.tether.HomeInspector;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import dev.tether.TetherSettings;
import dev.tether.client.TetherApiException;
import dev.tether.client.TetherClient;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionView;
import dev.tether.registry.SessionRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * (h) Many clients starting and stopping sessions at once: {@code clients} threads, each its own
 * {@link TetherClient}, loop {@code POST /sessions} then {@code DELETE /sessions/{id}} against a
 * daemon child for a warm-up and then a fixed window; every fifth session is a two-process tree
 * ({@code sh -c 'sleep 60 & wait'}), the rest {@code sleep 60}. Afterwards: no session lost
 * (every one a client started ended in a terminal state, in the DELETE answer and in the
 * registry), none listed live, no process of the instance alive, and, after SIGTERM, a registry
 * with no live row. Baseline: the same loop on the library directly ({@code Supervisor.start},
 * {@code Session.stop}) in this JVM, same thread count and mix.
 */
final class ChurnBench {
    private static final Duration WARMUP = Duration.ofSeconds(3);
    private static final int TREE_EVERY = 5;

    enum Variant {
        DAEMON("Tether daemon: POST /sessions + DELETE /sessions/{id}"),
        LIBRARY("baseline: library, Supervisor.start + Session.stop, in the bench JVM");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    /** One loop. {@code operations}: start+stop cycles that ended inside the window; {@code all}: including the warm-up. */
    record Run(Variant variant, String label, int clients, double warmupSeconds, double seconds, long operations,
               long allOperations, long treeOperations, long errors, Map<String, Long> errorKinds, double perSecond) {}

    /** What was checked after the daemon's loop; every count but {@code started} must be 0 for "nothing lost". */
    record Checks(int started, int answeredNotTerminal, int listedLive, boolean healthConsistent, int markedAliveBefore,
                  DaemonChild.Stopped stopped, int registryLiveRows, int registryMissing, int registryNotTerminal,
                  Map<String, Long> registryStates, boolean nothingLost) {}

    record Result(Run daemon, Run library, double ratio, Checks checks) {}

    private interface Cycle {
        /** Starts and stops one session; returns whether it ended terminal (and clean). */
        boolean run(boolean tree);
    }

    private final ChaosKit kit;
    private final BenchOptions opts;
    private final Path work;

    ChurnBench(ChaosKit kit, BenchOptions opts) {
        this.kit = kit;
        this.opts = opts;
        this.work = opts.work().resolve("churn");
    }

    Result run() {
        ServeBench.clean(work);
        Run library = library();
        Set<String> started = ConcurrentHashMap.newKeySet();
        AtomicLong notTerminal = new AtomicLong();
        String tag = kit.newTag("churn-daemon");
        Path home = work.resolve("daemon-home");
        Run daemon;
        int listed;
        boolean consistent;
        int markedBefore;
        DaemonChild.Stopped stopped;
        String instance;
        try (DaemonChild d = DaemonChild.start(opts.daemonJar(), home, opts.daemonJvmArgs())) {
            instance = d.instance();
            daemon = loop(Variant.DAEMON, () -> {
                TetherClient c = TetherClient.of(d.url(), d.token());
                return tree -> {
                    SessionRequest r = (tree ? SessionRequest.of("/bin/sh", "-c", "sleep 60 & wait") : SessionRequest.of("sleep", "60"))
                            .withEnv("CHAOS_TAG", tag).withName(tree ? "churn-tree" : "churn");
                    String id = c.start(r).id();
                    started.add(id);
                    SessionView v = stopWithRetry(c, id);
                    if (!v.state().isTerminal()) {
                        notTerminal.incrementAndGet();
                    }
                    return v.state().isTerminal();
                };
            });
            listed = d.client().sessions().count();
            consistent = d.client().health().registry().consistent();
            markedBefore = Procs.carrying(d.marker()).size();
            stopped = d.terminate(Duration.ofSeconds(120));
        } finally {
            kit.assertNoneLeft(tag, "the churn daemon's SIGTERM");
            kit.reap(tag);
        }
        Checks checks = registryChecks(home, instance, started, notTerminal.intValue(), listed, consistent, markedBefore, stopped);
        System.out.printf("  churn   checks: %d started, %d answered non-terminal, %d listed live, %d marked alive, exit %d"
                        + " after %.0f ms, registry: %d live, %d missing, %d not terminal -> %s%n", checks.started(),
                checks.answeredNotTerminal(), checks.listedLive(), checks.markedAliveBefore(), stopped.exitCode(), stopped.millis(),
                checks.registryLiveRows(), checks.registryMissing(), checks.registryNotTerminal(),
                checks.nothingLost() ? "nothing lost" : "SOMETHING LOST");
        return new Result(daemon, library, Stats.round(daemon.perSecond() / library.perSecond(), 3), checks);
    }

    /** A DELETE that failed in transit is sent again: the session must still end, and the error is counted by the caller. */
    private static SessionView stopWithRetry(TetherClient c, String id) {
        try {
            return c.stop(id);
        } catch (RuntimeException e) {
            SessionView v = c.stop(id);
            throw new StopRetried(e, v);
        }
    }

    /** A stop that needed a second DELETE: an error to count, though the session did end. */
    private static final class StopRetried extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopRetried(RuntimeException first, SessionView second) {
            super("DELETE needed a retry (" + kind(first) + "); second answer " + second.state(), first, false, false);
        }
    }

    private Run library() {
        String tag = kit.newTag("churn-library");
        try (Supervisor sup = Supervisor.builder().home(work.resolve("library-home")).shutdownHook(false).open()) {
            ProcessSpec one = spec(List.of("sleep", "60"), tag, "churn");
            ProcessSpec tree = spec(List.of("/bin/sh", "-c", "sleep 60 & wait"), tag, "churn-tree");
            return loop(Variant.LIBRARY, () -> isTree -> {
                Session s = sup.start(isTree ? tree : one);
                StopReport r = s.stop();
                return r.clean() && s.state().isTerminal();
            });
        } finally {
            kit.assertNoneLeft(tag, "the library churn");
            kit.reap(tag);
        }
    }

    private static ProcessSpec spec(List<String> argv, String tag, String name) {
        return ProcessSpec.builder(argv).env("CHAOS_TAG", tag).name(name)
                .stdin(Stdio.discard()).stdout(Stdio.discard()).stderr(Stdio.discard()).build();
    }

    private Run loop(Variant v, java.util.function.Supplier<Cycle> perClient) {
        int clients = opts.churnClients();
        Duration window = Duration.ofSeconds(opts.churnSeconds());
        long from = System.nanoTime() + WARMUP.toNanos();
        long to = from + window.toNanos();
        AtomicLong measured = new AtomicLong();
        AtomicLong all = new AtomicLong();
        AtomicLong trees = new AtomicLong();
        Map<String, Long> errors = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            threads.add(Thread.ofPlatform().name("churn-" + v.name().toLowerCase() + "-" + i).start(() -> {
                Cycle cycle = perClient.get();
                for (long n = 0; System.nanoTime() < to; n++) {
                    boolean tree = n % TREE_EVERY == TREE_EVERY - 1;
                    try {
                        boolean ok = cycle.run(tree);
                        long now = System.nanoTime();
                        all.incrementAndGet();
                        if (now >= from && now < to) {
                            measured.incrementAndGet();
                            if (tree) {
                                trees.incrementAndGet();
                            }
                        }
                        if (!ok) {
                            errors.merge("ended not terminal or not clean", 1L, Long::sum);
                        }
                    } catch (RuntimeException e) {
                        errors.merge(kind(e), 1L, Long::sum);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
        double seconds = window.toNanos() / 1e9;
        Run r = new Run(v, v.label, clients, WARMUP.toNanos() / 1e9, seconds, measured.get(), all.get(), trees.get(),
                errorCount, new TreeMap<>(errors), Stats.round(measured.get() / seconds, 1));
        System.out.printf("  churn   %-70s %d clients: %7.1f start+stop/s (%d in %.0f s, %d errors %s)%n", v.label, clients,
                r.perSecond(), r.operations(), seconds, errorCount, r.errorKinds());
        return r;
    }

    private static String kind(RuntimeException e) {
        String k = switch (e) {
            case TetherApiException t -> "HTTP " + t.status() + " " + t.code();
            case StopRetried s -> s.getMessage();
            default -> e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage());
        };
        return k.length() > 160 ? k.substring(0, 160) : k;
    }

    private static Checks registryChecks(Path home, String instance, Set<String> started, int notTerminal, int listed,
                                         boolean consistent, int markedBefore, DaemonChild.Stopped stopped) {
        try (HomeInspector h = HomeInspector.open(TetherSettings.load().withHome(home))) {
            Map<String, SessionRecord> rows = h.sessions(false).stream().filter(r -> r.instanceId().equals(instance))
                    .collect(Collectors.toMap(SessionRecord::id, Function.identity()));
            int live = h.sessions(true).size();
            int missing = (int) started.stream().filter(id -> !rows.containsKey(id)).count();
            int notEnded = (int) started.stream().filter(rows::containsKey).filter(id -> !rows.get(id).state().isTerminal()).count();
            Map<String, Long> states = new TreeMap<>(rows.values().stream()
                    .collect(Collectors.groupingBy(r -> r.state().name(), Collectors.counting())));
            boolean ok = notTerminal == 0 && listed == 0 && consistent && markedBefore == 0 && stopped.markedLeft() == 0
                    && live == 0 && missing == 0 && notEnded == 0;
            return new Checks(started.size(), notTerminal, listed, consistent, markedBefore, stopped, live, missing, notEnded,
                    states, ok);
        }
    }
}
