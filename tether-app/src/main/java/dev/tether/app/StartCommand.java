package dev.tether.app;

import dev.tether.Durations;
import dev.tether.client.TetherClient;
import dev.tether.client.api.DirChoice;
import dev.tether.client.api.PortChoice;
import dev.tether.client.api.ReadyCheck;
import dev.tether.client.api.RestartPolicy;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tether start}: CMD as a session of the home's daemon, which outlives this command; prints
 * its id. With a readiness probe it returns once the session is ready; a session that does not get
 * ready is stopped by the daemon (nothing of it lives) and its last output shown.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Start CMD as a session of this home's daemon and print its id.",
            "The daemon (tether serve) keeps the whole tree, its output (tether logs) and",
            "its port ($PORT) after this command returns; tether stop ends it. CMD runs in",
            "the current directory, with the daemon's environment plus --env.",
            "With --ready, returns once the session is ready; one that is not ready in",
            "time is stopped, and its last output shown (exit 1).",
            "Everything after CMD belongs to CMD."},
        footer = {"", "Examples:",
            "  tether start -- python3 -m http.server 8000",
            "  tether start --name api --port any --ready http:/health -- ./api.sh",
            "  tether start --port any --ready tcp -- sh -c 'exec ./server --port $PORT'",
            "  tether start --port-range 3000-3099 --ready tcp --ready-timeout 60s -- ./dev",
            "  tether start --ready 'log:listening on' --restart on-failure -- ./worker.sh",
            "  tether start --idle 30m --dir --tag lab --env LANG=C.UTF-8 -- jupyter lab",
            "  id=$(tether start --json -- sleep 600 | jq -r .id)",
            "",
            "Exits 5 when no daemon runs for the home (start one with tether serve)."})
final class StartCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", description = "Session name (default: CMD's file name).")
    String name;

    @ArgGroup(exclusive = true)
    PortOptions port;

    static final class PortOptions {
        @Option(names = "--port", paramLabel = "PORT", required = true,
                description = "Lease this port for it (or 'any': a free one from the daemon's range); exported as $PORT.")
        String port;

        @Option(names = "--port-range", paramLabel = "LOW-HIGH", required = true,
                description = "Lease a free port from this range, e.g. 3000-3099; exported as $PORT.")
        String range;
    }

    @Option(names = "--dir", description = "Give it a private directory ($TETHER_SESSION_DIR), removed after it stops.")
    boolean dir;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "How long its processes get after the stop signal before SIGKILL (default: the daemon's, 10s).")
    String grace;

    @Option(names = "--idle", paramLabel = "DURATION",
            description = "Stop it (state CULLED) after this long without activity, e.g. 30m.")
    String idle;

    @Option(names = "--ready", paramLabel = "PROBE",
            description = "tcp, http:/PATH or log:REGEX: wait until its port accepts connections, answers PATH with a 2xx,"
                    + " or it prints a matching line.")
    String ready;

    @Option(names = "--ready-timeout", paramLabel = "DURATION",
            description = "How long --ready may take before the session is stopped as not ready (default: the daemon's, 30s).")
    String readyTimeout;

    @Option(names = "--restart", paramLabel = "POLICY",
            description = "never (default) or on-failure: start it again after a non-zero exit or a signal, with backoff.")
    String restart;

    @Option(names = "--max-restarts", paramLabel = "N",
            description = "Give up (state FAILED) after N restarts (default: the daemon's); implies --restart on-failure.")
    Integer maxRestarts;

    @Option(names = "--tag", paramLabel = "TAG", description = "A label, for filtering (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Set a variable for it (repeatable).")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print the session as the daemon reports it (JSON).")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SessionRequest request = request();
        TetherClient client = HomeDaemon.require(parent.settings().home());
        SessionView s = client.start(request);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.printApi(out, s);
            return ExitCodes.OK;
        }
        out.println("started " + s.id() + " (" + s.name() + "): pid " + s.pid() + (s.port() == null ? "" : ", port " + s.port()));
        out.flush();
        return ExitCodes.OK;
    }

    /** The request, with every flag checked here so a mistake is a usage error naming the flag. */
    SessionRequest request() {
        SessionRequest r = SessionRequest.of(command).withCwd(System.getProperty("user.dir"));
        if (name != null) {
            r = r.withName(name);
        }
        if (port != null) {
            r = r.withPort(port.port != null ? portChoice(port.port) : portRange(port.range));
        }
        if (dir) {
            r = r.withSessionDir(DirChoice.byId());
        }
        if (grace != null) {
            r = r.withGrace(duration("--grace", grace));
        }
        if (idle != null) {
            Duration d = duration("--idle", idle);
            if (d.isZero()) {
                throw usage("--idle must be more than 0; leave it out for no idle stop");
            }
            r = r.withIdleTimeout(d);
        }
        if (ready != null) {
            r = r.withReady(readyCheck(ready, readyTimeout == null ? null : duration("--ready-timeout", readyTimeout)));
        } else if (readyTimeout != null) {
            throw usage("--ready-timeout needs --ready (tcp, http:/PATH or log:REGEX)");
        }
        if (restart != null || maxRestarts != null) {
            r = r.withRestart(restartPolicy());
        }
        if (!tags.isEmpty()) {
            r = r.withTags(tags.toArray(String[]::new));
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            r = r.withEnv(e.getKey(), e.getValue());
        }
        return r;
    }

    private PortChoice portChoice(String text) {
        if (text.equals("any")) {
            return PortChoice.any();
        }
        return PortChoice.fixed(portNumber("--port", text));
    }

    private PortChoice portRange(String text) {
        String[] parts = text.split("-", -1);
        if (parts.length != 2) {
            throw usage("--port-range must be LOW-HIGH, e.g. 3000-3099, got '" + text + "'");
        }
        int low = portNumber("--port-range", parts[0]);
        int high = portNumber("--port-range", parts[1]);
        if (low > high) {
            throw usage("--port-range: LOW must not be above HIGH, got " + text);
        }
        return PortChoice.range(low, high);
    }

    private int portNumber(String flag, String text) {
        try {
            int p = Integer.parseInt(text.strip());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw usage(flag + " takes ports 1..65535" + (flag.equals("--port") ? " or 'any'" : "") + ", got '" + text + "'");
    }

    private ReadyCheck readyCheck(String text, Duration timeout) {
        if (text.equals("tcp") || text.equals("http") || text.startsWith("http:")) {
            if (port == null) {
                throw usage("--ready " + text + " checks the session's port: add --port PORT, --port any or --port-range LOW-HIGH");
            }
            if (text.equals("tcp")) {
                return ReadyCheck.tcp(timeout);
            }
            String path = text.equals("http") ? "/" : text.substring("http:".length());
            if (!path.startsWith("/")) {
                throw usage("--ready http:PATH needs an absolute path, e.g. http:/health, got '" + text + "'");
            }
            return ReadyCheck.http(path, timeout);
        }
        if (text.startsWith("log:") && text.length() > "log:".length()) {
            String regex = text.substring("log:".length());
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw usage("--ready log:REGEX: '" + regex + "' is not a regular expression: " + e.getDescription());
            }
            return ReadyCheck.log(regex, timeout);
        }
        throw usage("--ready must be tcp, http:/PATH or log:REGEX, got '" + text + "'");
    }

    private RestartPolicy restartPolicy() {
        String policy = restart == null ? RestartPolicy.ON_FAILURE : restart;
        if (maxRestarts != null && maxRestarts < 0) {
            throw usage("--max-restarts must be 0 or more, got " + maxRestarts);
        }
        return switch (policy) {
            case RestartPolicy.ON_FAILURE -> new RestartPolicy(RestartPolicy.ON_FAILURE, maxRestarts, null, null);
            case RestartPolicy.NEVER -> {
                if (maxRestarts != null) {
                    throw usage("--max-restarts goes with --restart on-failure, not --restart never");
                }
                yield RestartPolicy.never();
            }
            default -> throw usage("--restart must be never or on-failure, got '" + policy + "'");
        };
    }

    private Duration duration(String flag, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(flag + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
