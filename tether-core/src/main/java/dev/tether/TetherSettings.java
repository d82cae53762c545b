package dev.tether;

import dev.tether.registry.TetherHome;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Every setting Tether reads, typed, from (lowest first) defaults, {@code $TETHER_HOME/config.properties},
 * the environment ({@code TETHER_HOME}, {@code TETHER_GRACE}, ...), then code or command-line flags.
 * Unknown keys in the file or in overrides, and bad values anywhere, are rejected with a message
 * naming the key, where it came from, and the accepted form.
 *
 * @param home              where the registry, PID file, token and session directories live
 * @param grace             default grace period of a session's stop
 * @param shutdownBudget    how long JVM shutdown may spend stopping everything
 * @param portRange         where ports are allocated from
 * @param reconcileInterval how often reconciliation runs while a supervisor is open
 * @param sessionsDir       base of session directories
 * @param logLevel          log level of the command line and daemon (ERROR, WARN, INFO, DEBUG, TRACE)
 * @param keepEndedFor      how long the registry keeps an ended session's row (default 7 days)
 * @param keepEnded         how many ended sessions' rows the registry keeps at most (default
 *                          10,000); both limits apply at each reconciliation, so between two of
 *                          them the sessions ended meanwhile are kept too
 */
public record TetherSettings(Path home, Duration grace, Duration shutdownBudget, PortRange portRange,
                             Duration reconcileInterval, Path sessionsDir, String logLevel, Duration keepEndedFor,
                             int keepEnded) {
    public static final String CONFIG_FILE = "config.properties";
    /** Settings keys as written in the config file; {@code TETHER_} + upper case in the environment. */
    public static final Set<String> KEYS = Set.of("home", "grace", "shutdown_budget", "port_range",
            "reconcile_interval", "sessions_dir", "log_level", "keep_ended_for", "keep_ended");
    /** Ended sessions kept by default: a week of them, and at most this many. */
    public static final Duration DEFAULT_KEEP_ENDED_FOR = Duration.ofDays(7);
    public static final int DEFAULT_KEEP_ENDED = 10_000;
    private static final int MOST_KEPT = 10_000_000;
    private static final Set<String> LEVELS = Set.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    /** The default home: {@code $XDG_STATE_HOME/tether}, i.e. {@code ~/.local/state/tether}. */
    public static Path defaultHome(Map<String, String> env) {
        Map<String, String> withoutOverride = new java.util.HashMap<>(env);
        withoutOverride.remove("TETHER_HOME");
        return TetherHome.resolve(withoutOverride, Path.of(System.getProperty("user.home")));
    }

    /** Defaults, the config file and this process's environment. */
    public static TetherSettings load() {
        return load(System.getenv(), Map.of());
    }

    /**
     * Resolves settings from the environment and overrides (keys as in {@link #KEYS}).
     *
     * @throws InvalidSpecException naming the key, its source and the accepted form
     */
    public static TetherSettings load(Map<String, String> env, Map<String, String> overrides) {
        for (String key : overrides.keySet()) {
            requireKnown(key, "override");
        }
        Map<String, Source> values = new LinkedHashMap<>();
        String homeText = overrides.getOrDefault("home", env.get("TETHER_HOME"));
        Path home = homeText != null ? path("home", homeText, overrides.containsKey("home") ? "override" : "environment TETHER_HOME")
                : defaultHome(env);
        Path file = home.resolve(CONFIG_FILE);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidSpecException("config", "cannot read " + file + ": " + e.getMessage());
            }
            for (String key : p.stringPropertyNames()) {
                requireKnown(key, file.toString());
                if (key.equals("home")) {
                    throw new InvalidSpecException("home", "cannot be set in " + file + " (the file lives in the home); use TETHER_HOME");
                }
                values.put(key, new Source(p.getProperty(key), file.toString()));
            }
        }
        for (String key : KEYS) {
            String envName = "TETHER_" + key.toUpperCase(Locale.ROOT);
            if (env.containsKey(envName) && !key.equals("home")) {
                values.put(key, new Source(env.get(envName), "environment " + envName));
            }
        }
        overrides.forEach((k, v) -> values.put(k, new Source(v, "override")));

        return new TetherSettings(home,
                duration("grace", values, StopPolicy.DEFAULT_GRACE),
                duration("shutdown_budget", values, Duration.ofSeconds(10)),
                portRange(values),
                duration("reconcile_interval", values, Duration.ofSeconds(60)),
                values.containsKey("sessions_dir") ? path("sessions_dir", values.get("sessions_dir").value(), values.get("sessions_dir").where())
                        : home.resolve("sessions"),
                logLevel(values),
                duration("keep_ended_for", values, DEFAULT_KEEP_ENDED_FOR),
                count("keep_ended", values, DEFAULT_KEEP_ENDED));
    }

    /** A copy with another home (and sessions directory under it, unless set elsewhere). */
    public TetherSettings withHome(Path newHome) {
        Path sessions = sessionsDir.equals(home.resolve("sessions")) ? newHome.resolve("sessions") : sessionsDir;
        return new TetherSettings(newHome, grace, shutdownBudget, portRange, reconcileInterval, sessions, logLevel,
                keepEndedFor, keepEnded);
    }

    /** A copy with another reconciliation interval ({@link Duration#ZERO}: none while open). */
    public TetherSettings withReconcileInterval(Duration interval) {
        return new TetherSettings(home, grace, shutdownBudget, portRange, interval, sessionsDir, logLevel,
                keepEndedFor, keepEnded);
    }

    private record Source(String value, String where) {}

    private static void requireKnown(String key, String where) {
        if (!KEYS.contains(key)) {
            throw new InvalidSpecException(key, "unknown setting in " + where + "; known settings: "
                    + KEYS.stream().sorted().toList());
        }
    }

    private static Duration duration(String key, Map<String, Source> values, Duration dflt) {
        Source s = values.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            return Durations.parse(s.value());
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException(key, "from " + s.where() + ": " + e.getMessage());
        }
    }

    private static int count(String key, Map<String, Source> values, int dflt) {
        Source s = values.get(key);
        if (s == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s.value().strip().replace("_", ""));
            if (n >= 0 && n <= MOST_KEPT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidSpecException(key, "from " + s.where() + ": '" + s.value() + "' is not a whole number from 0 to "
                + MOST_KEPT + ", e.g. " + DEFAULT_KEEP_ENDED);
    }

    private static PortRange portRange(Map<String, Source> values) {
        Source s = values.get("port_range");
        if (s == null) {
            return PortRange.DEFAULT;
        }
        try {
            return PortRange.parse(s.value());
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException("port_range", "from " + s.where() + ": '" + s.value() + "' is not LOW-HIGH within 1..65535, e.g. 20000-29999");
        }
    }

    private static String logLevel(Map<String, Source> values) {
        Source s = values.get("log_level");
        if (s == null) {
            return "WARN";
        }
        String level = s.value().strip().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new InvalidSpecException("log_level", "from " + s.where() + ": '" + s.value() + "' is not one of " + LEVELS);
        }
        return level;
    }

    private static Path path(String key, String text, String where) {
        Path p = Path.of(text.strip());
        if (!p.isAbsolute()) {
            throw new InvalidSpecException(key, "from " + where + ": '" + text + "' must be an absolute path");
        }
        return p.normalize();
    }
}
