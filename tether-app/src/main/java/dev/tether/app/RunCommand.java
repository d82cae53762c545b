package dev.tether.app;

import dev.tether.Durations;
import dev.tether.Exit;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Signal;
import dev.tether.SpawnException;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import dev.tether.TetherException;
import dev.tether.TetherSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tether run}: like tini, but tree-aware. Runs CMD as a supervised session in the
 * foreground with stdio passed through; SIGINT, SIGTERM and SIGHUP become a graceful stop of the
 * whole tree (a second one forces it); when CMD exits, whatever it left behind is stopped too;
 * exits with CMD's status.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run CMD in the foreground as a supervised process tree.",
            "SIGINT, SIGTERM and SIGHUP stop the whole tree gracefully (a second signal forces it).",
            "When CMD exits, whatever it left running is stopped too; zombies are reaped.",
            "Exits with CMD's status (128+N when CMD was killed by signal N)."
        },
        footer = {"", "Examples:",
            "  tether run -- ./start-dev-server.sh",
            "  tether run --grace 5s --name api -- python3 -m http.server 8000",
            "  tether run --stop-signal INT -- node server.js"})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--grace", paramLabel = "DURATION",
            description = "How long members get to exit after the stop signal before SIGKILL"
                    + " (default: the settings' grace: $TETHER_GRACE, else grace in config.properties, else 10s).")
    String grace;

    @Option(names = "--stop-signal", paramLabel = "SIGNAL", defaultValue = "TERM",
            description = "Signal that asks the tree to stop (default: ${DEFAULT-VALUE}).")
    String stopSignal;

    @Option(names = "--name", paramLabel = "NAME", description = "Session name (default: CMD's file name).")
    String name;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Signal signal;
        try {
            if (grace != null) {
                Durations.parse(grace); // a flag's mistake reads better without the settings' wording
            }
            signal = Signal.parse(stopSignal);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TetherSettings settings = parent.settings(grace == null ? Map.of() : Map.of("grace", grace));
        Duration graceDuration = settings.grace();
        ProcessSpec processSpec;
        try {
            ProcessSpec.Builder b = ProcessSpec.builder(command).grace(graceDuration).stopSignal(signal);
            if (name != null) {
                b.name(name);
            }
            processSpec = b.build();
        } catch (TetherException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (Supervisor supervisor = Supervisor.builder().settings(settings).shutdownHook(true).open()) {
            Session session;
            try {
                session = supervisor.start(processSpec);
            } catch (SpawnException e) {
                System.err.println("tether: " + e.getMessage());
                return e.errnoName().equals("ENOENT") ? ExitCodes.RUN_NOT_FOUND : ExitCodes.RUN_CANNOT_EXECUTE;
            }
            StopOnSignals.install(session, graceDuration);
            StopReport report = session.onStopped().join();
            return statusOf(report.exit());
        } catch (TetherException e) {
            System.err.println("tether: " + e.getMessage());
            return ExitCodes.RUN_INTERNAL_ERROR;
        }
    }

    private static int statusOf(Exit exit) {
        return exit.shellStatus();
    }

    /** Turns SIGINT, SIGTERM and SIGHUP into a graceful stop of the session; the second one kills. */
    static final class StopOnSignals {
        private StopOnSignals() {}

        @SuppressWarnings("removal")
        static void install(Session session, Duration grace) {
            AtomicInteger received = new AtomicInteger();
            sun.misc.SignalHandler handler = sig -> {
                if (received.incrementAndGet() == 1) {
                    session.stopAsync(grace);
                } else {
                    System.err.println("tether: second " + sig.getName() + ": killing the tree now");
                    session.stopAsync(Duration.ZERO);
                }
            };
            for (String name : new String[] {"INT", "TERM", "HUP"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            }
        }
    }
}
