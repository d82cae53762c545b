package dev.tether;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What to run: an argument vector (never a shell string), its working directory and environment,
 * where its standard streams go, a name and tags, and how to stop it. Immutable; every field is
 * validated when {@link Builder#build()} runs, so a spec that exists is one Tether can try to start.
 */
public final class ProcessSpec {
    /** Environment variable naming the session a process belongs to; every descendant inherits it. */
    public static final String SESSION_MARKER = "TETHER_SESSION";
    /** Environment variable naming the supervisor instance that started the session. */
    public static final String INSTANCE_MARKER = "TETHER_INSTANCE";
    /**
     * Environment variable naming the supervisor process ({@code pid:starttime}), so anyone can
     * tell from a marked process alone whether the supervisor that owns it still lives.
     */
    public static final String SUPERVISOR_MARKER = "TETHER_SUPERVISOR";
    /** Environment variable holding the session's own directory, when it asked for one. */
    public static final String SESSION_DIR_VARIABLE = "TETHER_SESSION_DIR";
    /** Default environment variable for an allocated port. */
    public static final String DEFAULT_PORT_VARIABLE = "PORT";

    private static final int MAX_NAME_LENGTH = 128;

    private final List<String> argv;
    private final Path directory;
    private final boolean inheritEnvironment;
    private final Map<String, String> environment;
    private final Set<String> removedEnvironment;
    private final Stdio stdin;
    private final Stdio stdout;
    private final Stdio stderr;
    private final String name;
    private final Set<String> tags;
    private final StopPolicy stopPolicy;
    private final Optional<PortRequest> port;
    private final String portVariable;
    private final Optional<String> sessionDirectory;

    private ProcessSpec(Builder b) {
        this.argv = List.copyOf(b.argv);
        this.directory = b.directory;
        this.inheritEnvironment = b.inheritEnvironment;
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.removedEnvironment = Set.copyOf(b.removedEnvironment);
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
        this.name = b.name != null ? b.name : baseName(argv.getFirst());
        this.tags = Collections.unmodifiableSet(new LinkedHashSet<>(b.tags));
        this.stopPolicy = b.stopPolicy;
        this.port = Optional.ofNullable(b.port);
        this.portVariable = b.portVariable;
        this.sessionDirectory = Optional.ofNullable(b.sessionDirectory);
    }

    /** A spec with defaults for everything but the command. */
    public static ProcessSpec of(String... argv) {
        return builder(argv).build();
    }

    public static Builder builder(String... argv) {
        return new Builder(List.of(argv));
    }

    public static Builder builder(List<String> argv) {
        return new Builder(argv);
    }

    /** A builder holding every field of this spec, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(argv);
        b.directory = directory;
        b.inheritEnvironment = inheritEnvironment;
        b.environment.putAll(environment);
        b.removedEnvironment.addAll(removedEnvironment);
        b.stdin = stdin;
        b.stdout = stdout;
        b.stderr = stderr;
        b.name = name;
        b.tags.addAll(tags);
        b.stopPolicy = stopPolicy;
        b.port = port.orElse(null);
        b.portVariable = portVariable;
        b.sessionDirectory = sessionDirectory.orElse(null);
        return b;
    }

    public List<String> argv() {
        return argv;
    }

    /** The working directory; empty means the supervisor's own. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** Whether the supervisor's environment is inherited (then {@link #environment()} holds overrides). */
    public boolean inheritsEnvironment() {
        return inheritEnvironment;
    }

    /** Overrides (when inheriting) or the exact environment (when not). */
    public Map<String, String> environment() {
        return environment;
    }

    /** Inherited variables to leave out. */
    public Set<String> removedEnvironment() {
        return removedEnvironment;
    }

    /** The environment the child gets, before Tether adds its markers. */
    public Map<String, String> resolveEnvironment(Map<String, String> parent) {
        Map<String, String> env = new LinkedHashMap<>();
        if (inheritEnvironment) {
            env.putAll(parent);
            removedEnvironment.forEach(env::remove);
        }
        env.putAll(environment);
        return env;
    }

    public Stdio stdin() {
        return stdin;
    }

    public Stdio stdout() {
        return stdout;
    }

    public Stdio stderr() {
        return stderr;
    }

    public String name() {
        return name;
    }

    public Set<String> tags() {
        return tags;
    }

    public StopPolicy stopPolicy() {
        return stopPolicy;
    }

    /** The port the session asks for, exported to it as {@link #portVariable()}. */
    public Optional<PortRequest> port() {
        return port;
    }

    /** The environment variable the allocated port is exported as (default {@code PORT}). */
    public String portVariable() {
        return portVariable;
    }

    /**
     * The session directory asked for: a name relative to the supervisor's sessions base (empty
     * string: the session id). Created before the process starts, exported as
     * {@code TETHER_SESSION_DIR}, removed after the stop.
     */
    public Optional<String> sessionDirectory() {
        return sessionDirectory;
    }

    /** The command for messages: arguments quoted where needed, cut at 200 characters. */
    public String describeCommand() {
        String s = argv.stream().map(ProcessSpec::quote).collect(Collectors.joining(" "));
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }

    @Override
    public String toString() {
        return "ProcessSpec[" + name + ": " + describeCommand() + "]";
    }

    private static String quote(String arg) {
        if (!arg.isEmpty() && arg.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@+%".indexOf(c) >= 0)) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }

    /** Builds a {@link ProcessSpec}; {@link #build()} validates everything and names what was wrong. */
    public static final class Builder {
        private final List<String> argv;
        private Path directory;
        private boolean inheritEnvironment = true;
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Set<String> removedEnvironment = new LinkedHashSet<>();
        private Stdio stdin = Stdio.inherit();
        private Stdio stdout = Stdio.inherit();
        private Stdio stderr = Stdio.inherit();
        private String name;
        private final Set<String> tags = new LinkedHashSet<>();
        private StopPolicy stopPolicy = StopPolicy.DEFAULT;
        private PortRequest port;
        private String portVariable = DEFAULT_PORT_VARIABLE;
        private String sessionDirectory;

        private Builder(List<String> argv) {
            this.argv = new ArrayList<>(Objects.requireNonNull(argv, "argv"));
        }

        public Builder directory(Path dir) {
            this.directory = dir == null ? null : dir.toAbsolutePath().normalize();
            return this;
        }

        /** Sets (or overrides) one environment variable. */
        public Builder env(String key, String value) {
            environment.put(key, value);
            removedEnvironment.remove(key);
            return this;
        }

        public Builder env(Map<String, String> vars) {
            vars.forEach(this::env);
            return this;
        }

        /** Leaves an inherited variable out. */
        public Builder removeEnv(String key) {
            environment.remove(key);
            removedEnvironment.add(key);
            return this;
        }

        /** Starts from an empty environment: the child sees only what {@link #env} sets (and Tether's markers). */
        public Builder clearEnvironment() {
            inheritEnvironment = false;
            return this;
        }

        public Builder stdin(Stdio s) {
            this.stdin = Objects.requireNonNull(s, "stdin");
            return this;
        }

        public Builder stdout(Stdio s) {
            this.stdout = Objects.requireNonNull(s, "stdout");
            return this;
        }

        public Builder stderr(Stdio s) {
            this.stderr = Objects.requireNonNull(s, "stderr");
            return this;
        }

        public Builder name(String n) {
            this.name = n;
            return this;
        }

        public Builder tag(String t) {
            tags.add(t);
            return this;
        }

        public Builder tags(Set<String> ts) {
            tags.addAll(ts);
            return this;
        }

        public Builder stopPolicy(StopPolicy p) {
            this.stopPolicy = Objects.requireNonNull(p, "stopPolicy");
            return this;
        }

        public Builder grace(Duration grace) {
            this.stopPolicy = stopPolicy.withGrace(grace);
            return this;
        }

        public Builder stopSignal(Signal signal) {
            this.stopPolicy = stopPolicy.withSignal(signal);
            return this;
        }

        /** Asks for a port, exported to the process as {@code PORT} (see {@link #portVariable(String)}). */
        public Builder port(PortRequest request) {
            this.port = request;
            return this;
        }

        /** Asks for exactly this port. */
        public Builder port(int fixed) {
            return port(PortRequest.fixed(fixed));
        }

        /** Names the environment variable the port is exported as. */
        public Builder portVariable(String name) {
            this.portVariable = name;
            return this;
        }

        /** Asks for a session directory named after the session id, under the sessions base. */
        public Builder sessionDirectory() {
            this.sessionDirectory = "";
            return this;
        }

        /** Asks for a session directory with this name (relative, inside the sessions base). */
        public Builder sessionDirectory(String relativeName) {
            this.sessionDirectory = Objects.requireNonNull(relativeName, "relativeName");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws InvalidSpecException naming the field that is wrong and what is accepted
         */
        public ProcessSpec build() {
            if (argv.isEmpty()) {
                throw new InvalidSpecException("argv", "must hold at least the command to run, e.g. [\"python3\", \"-m\", \"http.server\"]");
            }
            for (int i = 0; i < argv.size(); i++) {
                String a = argv.get(i);
                if (a == null) {
                    throw new InvalidSpecException("argv[" + i + "]", "must not be null");
                }
                if (a.indexOf('\0') >= 0) {
                    throw new InvalidSpecException("argv[" + i + "]", "must not contain a NUL character");
                }
            }
            if (argv.getFirst().isBlank()) {
                throw new InvalidSpecException("argv[0]", "must name a program, got an empty string");
            }
            environment.forEach((k, v) -> {
                checkEnvName(k);
                if (v == null) {
                    throw new InvalidSpecException("env." + k, "value must not be null; use removeEnv to leave it out");
                }
                if (v.indexOf('\0') >= 0) {
                    throw new InvalidSpecException("env." + k, "value must not contain a NUL character");
                }
            });
            removedEnvironment.forEach(Builder::checkEnvName);
            if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl))) {
                throw new InvalidSpecException("name", "must be 1.." + MAX_NAME_LENGTH + " printable characters, got '" + name + "'");
            }
            for (String t : tags) {
                if (t == null || t.isBlank() || t.length() > MAX_NAME_LENGTH || t.chars().anyMatch(Character::isISOControl)) {
                    throw new InvalidSpecException("tags", "each tag must be 1.." + MAX_NAME_LENGTH + " printable characters, got '" + t + "'");
                }
            }
            if (portVariable == null || portVariable.isEmpty() || portVariable.indexOf('=') >= 0 || portVariable.indexOf('\0') >= 0) {
                throw new InvalidSpecException("portVariable", "must be a non-empty variable name without '=', got '" + portVariable + "'");
            }
            if (sessionDirectory != null && !sessionDirectory.isEmpty()) {
                checkRelativeName(sessionDirectory);
            }
            if (stdin instanceof Stdio.File f && f.append()) {
                throw new InvalidSpecException("stdin", "a file for stdin is read, not appended to; use Stdio.file(path)");
            }
            return new ProcessSpec(this);
        }

        /** A session directory name must stay inside the base: relative, no "..", no NUL. */
        private static void checkRelativeName(String name) {
            if (name.startsWith("/") || name.indexOf('\0') >= 0) {
                throw new InvalidSpecException("sessionDirectory", "must be a relative name inside the sessions base, got '" + name + "'");
            }
            for (String part : name.split("/")) {
                if (part.equals("..")) {
                    throw new InvalidSpecException("sessionDirectory", "must not contain '..' (it would leave the sessions base), got '" + name + "'");
                }
            }
        }

        private static void checkEnvName(String k) {
            if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                throw new InvalidSpecException("env", "variable names must be non-empty without '=' or NUL, got '" + k + "'");
            }
            if (k.equals(SESSION_MARKER) || k.equals(INSTANCE_MARKER) || k.equals(SUPERVISOR_MARKER) || k.equals(SESSION_DIR_VARIABLE)) {
                throw new InvalidSpecException("env." + k, "is set by Tether to mark the session's processes and cannot be overridden");
            }
        }
    }
}
