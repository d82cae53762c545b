package dev.tether.bench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Command line: {@code <repo-root> [--spawns=N] [--rounds=R] [--stop-reps=K] [--scans=S]
 * [--only=spawn,stop,scan] [--out=DIR]}. Blank arguments are ignored (Maven passes unset
 * properties as empty strings).
 */
record BenchOptions(Path repo, int spawns, int rounds, int stopRepetitions, int scansPerRound,
                    Set<Section> sections, Path out) {

    enum Section { SPAWN, STOP, SCAN }

    static final String USAGE = "usage: BenchMain <repo-root> [--spawns=2000] [--rounds=3] [--stop-reps=10]"
            + " [--scans=20] [--only=spawn,stop,scan] [--out=<repo>/tether-bench/results]";

    static BenchOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new IllegalArgumentException(USAGE);
        }
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        int spawns = 2000;
        int rounds = 3;
        int stopReps = 10;
        int scans = 20;
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
                case "rounds" -> rounds = positive(key, value);
                case "stop-reps" -> stopReps = positive(key, value);
                case "scans" -> scans = positive(key, value);
                case "out" -> out = Path.of(value).toAbsolutePath().normalize();
                case "only" -> {
                    sections = EnumSet.noneOf(Section.class);
                    for (String s : value.split(",")) {
                        sections.add(Section.valueOf(s.trim().toUpperCase()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option --" + key + "; " + USAGE);
            }
        }
        return new BenchOptions(repo, spawns, rounds, stopReps, scans, sections, out);
    }

    /** The chaos kit, beside the repository: {@code <repo>/../shared/chaos}. */
    Path chaosDir() {
        return repo.resolve("../shared/chaos").normalize();
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
