package dev.tether.app;

import dev.tether.Durations;
import dev.tether.PidFile;
import dev.tether.ProcessId;
import dev.tether.TetherSettings;
import dev.tether.app.daemon.Daemon;
import dev.tether.app.daemon.DaemonOptions;
import dev.tether.app.daemon.DaemonRunningException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether serve}: runs the daemon in the foreground until SIGTERM or SIGINT, which stop
 * every session with its grace. A live daemon already owning the home is reported (and, on a
 * terminal, offered to be stopped); a stale PID file is replaced.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the Tether daemon: a REST API, a web dashboard at /, health checks, idle culling,",
            "restarts and Prometheus metrics, over a SQLite registry in the home.",
            "Every request but GET /healthz needs 'Authorization: Bearer <token>' (the token is in $TETHER_HOME/token).",
            "SIGTERM or SIGINT stop every session gracefully; after a SIGKILL the guardian stops them."},
        footer = {"", "Examples:", "  tether serve", "  tether serve --port 0          # any free port; printed at start",
            "  tether serve --host 0.0.0.0 --allow-remote", "",
            "Exits 6 when a live daemon already owns the home (and it was not stopped)."})
final class ServeCommand implements Callable<Integer> {
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7373",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = DaemonOptions.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}); a non-loopback one needs --allow-remote.")
    String host;

    @Option(names = "--allow-remote", description = "Allow listening on a non-loopback address (prints a warning).")
    boolean allowRemote;

    @Option(names = "--grace", paramLabel = "DURATION", description = "Default grace of a session's stop (default: settings, 10s).")
    String grace;

    @Option(names = "--log-cap", paramLabel = "BYTES", defaultValue = "8388608",
            description = "Cap on each session's log file before it is rotated (default: ${DEFAULT-VALUE}).")
    long logCap;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> overrides = new HashMap<>();
        if (grace != null) {
            overrides.put("grace", grace);
        }
        TetherSettings settings = parent.settings(overrides);
        DaemonOptions options;
        try {
            options = new DaemonOptions(host, port, allowRemote, logCap);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Terminal term = Terminal.detect();
        logAtLeast(parent.verbose ? ch.qos.logback.classic.Level.DEBUG : ch.qos.logback.classic.Level.INFO);
        if (!DaemonOptions.DEFAULT_HOST.equals(host) && allowRemote) {
            err.println(term.yellow("tether: warning: listening on " + host + ": anyone who can reach it and has the token"
                    + " controls processes as " + System.getProperty("user.name") + "; the token travels unencrypted"));
            err.flush();
        }
        Daemon daemon;
        try {
            daemon = Daemon.start(settings, options, VersionProvider.version());
        } catch (DaemonRunningException e) {
            PidFile.Holder h = e.holder();
            String found = "Found a running Tether daemon (pid " + h.pid() + ", started " + Formats.time(h.startedAt())
                    + h.attributes().getOrDefault("port", "").transform(p -> p.isEmpty() ? "" : ", port " + p) + ").";
            if (!term.interactive() || !term.confirm(out, found + " Stop it?")) {
                err.println("tether: " + found + " Not starting another on " + settings.home()
                        + "; stop it (kill -TERM " + h.pid() + ") or use --home.");
                err.flush();
                return ExitCodes.ALREADY_RUNNING;
            }
            if (!stop(h.id(), out)) {
                err.println("tether: the daemon (pid " + h.pid() + ") did not exit within " + Durations.format(STOP_WAIT));
                err.flush();
                return ExitCodes.FAILURE;
            }
            daemon = Daemon.start(settings, options, VersionProvider.version());
        }
        out.println("tether daemon listening on " + daemon.url() + " (pid " + ProcessHandle.current().pid() + ", home "
                + settings.home() + ", token in " + settings.home().resolve("token") + ")");
        out.flush();
        daemon.awaitClosed();
        return ExitCodes.OK;
    }

    /** A server says what it does: INFO unless TETHER_LOG_LEVEL says otherwise (DEBUG with --verbose). */
    private static void logAtLeast(ch.qos.logback.classic.Level level) {
        if (System.getenv("TETHER_LOG_LEVEL") == null
                && org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(level);
        }
    }

    /** SIGTERM to the daemon by identity (the JDK re-checks its start time), then waits for it to go. */
    private static boolean stop(ProcessId id, PrintWriter out) {
        out.println("stopping pid " + id.pid() + " (its sessions get their grace period)...");
        out.flush();
        ProcessHandle.of(id.pid()).filter(p -> ProcessId.of(p.pid()).filter(id::equals).isPresent()).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (id.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        return true;
    }
}
