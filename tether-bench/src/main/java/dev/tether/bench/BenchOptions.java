package dev.tether.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Command line: {@code <repo-root> [--spawns=N] [--spawn-warmup=N] [--rounds=R] [--stop-reps=K] [--scans=S]
 * [--lifecycle-reps=K] [--load-seconds=S] [--connections=N] [--churn-seconds=S]
 * [--churn-clients=N] [--idle-seconds=S] [--live-sessions=N] [--daemon-jvm-args="..."]
 * [--only=spawn,stop,...] [--out=DIR]}. Blank arguments are ignored (Maven passes unset
 * properties as empty strings).
 */
record BenchOptions(Path repo, int spawns, int spawnWarmup, int rounds, int stopRepetitions, int scansPerRound,
                    int lifecycleRepetitions, int loadSeconds, int connections, int churnSeconds, int churnClients,
                    int idleSeconds, int liveSessions, List<String> daemonJvmArgs, Set<Section> sections, Path out) {

    /** What {@code --only} selects; {@code lifecycle} and {@code daemon} name groups of them. */
    enum Section {
        SPAWN, STOP, SCAN, SIGKILL, REGISTRY, GUARDIAN, SERVE_LIST, SERVE_CHURN, SERVE_IDLE;

        static Set<Section> parse(String name) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            return switch (n) {
                case "LIFECYCLE" -> EnumSet.of(SIGKILL, REGISTRY, GUARDIAN);
                case "DAEMON" -> EnumSet.of(SERVE_LIST, SERVE_CHURN, SERVE_IDLE);
                case "ALL" -> EnumSet.allOf(Section.class);
                default -> {
                    try {
                        yield EnumSet.of(valueOf(n));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown section '" + name + "' in --only; use "
                                + String.join(",", names()) + " (or the groups lifecycle, daemon, all)");
                    }
                }
            };
        }

        private static List<String> names() {
            List<String> out = new ArrayList<>();
            for (Section s : values()) {
                out.add(s.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            return out;
        }
    }

    static final String USAGE = "usage: BenchMain <repo-root> [--spawns=5000] [--spawn-warmup=30000] [--rounds=3] [--stop-reps=10]"
            + " [--scans=20] [--lifecycle-reps=7] [--load-seconds=10] [--connections=8] [--churn-seconds=60]"
            + " [--churn-clients=50] [--idle-seconds=30] [--live-sessions=1000] [--daemon-jvm-args=\"...\"]"
            + " [--only=spawn,stop,scan,sigkill,registry,guardian,serve-list,serve-churn,serve-idle]"
            + " [--out=<repo>/tether-bench/results]";

    static BenchOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException(USAGE);
        }
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        int spawns = 5000;
        int spawnWarmup = 30_000;
        int rounds = 3;
        int stopReps = 10;
        int scans = 20;
        int lifecycleReps = 7;
        int loadSeconds = 10;
        int connections = 8;
        int churnSeconds = 60;
        int churnClients = 50;
        int idleSeconds = 30;
        int liveSessions = 1000;
        List<String> daemonJvmArgs = List.of();
        Set<Section> sections = EnumSet.allOf(Section.class);
        Path out = repo.resolve("tether-bench/results");
        for (int i = 1; i < args.length; i++) {
            String a = args[i].trim();
            if (a.isEmpty()) {
                continue;
            }
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("unknown argument '" + a + "'; " + USAGE);
            }
            String key = a.substring(2, eq);
            String value = a.substring(eq + 1);
            switch (key) {
                case "spawns" -> spawns = positive(key, value);
                case "spawn-warmup" -> spawnWarmup = positive(key, value);
                case "rounds" -> rounds = positive(key, value);
                case "stop-reps" -> stopReps = positive(key, value);
                case "scans" -> scans = positive(key, value);
                case "lifecycle-reps" -> lifecycleReps = positive(key, value);
                case "load-seconds" -> loadSeconds = positive(key, value);
                case "connections" -> connections = positive(key, value);
                case "churn-seconds" -> churnSeconds = positive(key, value);
                case "churn-clients" -> churnClients = positive(key, value);
                case "idle-seconds" -> idleSeconds = positive(key, value);
                case "live-sessions" -> liveSessions = positive(key, value);
                case "daemon-jvm-args" -> daemonJvmArgs = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                case "out" -> out = Path.of(value).toAbsolutePath().normalize();
                case "only" -> {
                    sections = EnumSet.noneOf(Section.class);
                    for (String s : value.split(",")) {
                        if (!s.isBlank()) {
                            sections.addAll(Section.parse(s));
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown option --" + key + "; " + USAGE);
            }
        }
        return new BenchOptions(repo, spawns, spawnWarmup, rounds, stopReps, scans, lifecycleReps, loadSeconds, connections,
                churnSeconds, churnClients, idleSeconds, liveSessions, daemonJvmArgs, sections, out);
    }

    boolean runs(Section s) {
        return sections.contains(s);
    }

    /** The chaos kit, beside the repository: {@code <repo>/../shared/chaos}. */
    Path chaosDir() {
        return repo.resolve("../shared/chaos").normalize();
    }

    /** The daemon's executable jar, built by the tether-app module before this one. */
    Path daemonJar() {
        return repo.resolve("tether-app/target/tether.jar");
    }

    /** Scratch space for homes and logs: {@code tether-bench/target/bench-work}. */
    Path work() {
        return repo.resolve("tether-bench/target/bench-work");
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + key + " needs a positive integer, got '" + value + "'");
    }
}
