package dev.tether.app;

import dev.tether.InvalidSpecException;
import dev.tether.TetherException;
import dev.tether.TetherSettings;
import dev.tether.client.DaemonNotRunningException;
import dev.tether.client.TetherApiException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code tether} command: subcommands for running, inspecting and cleaning up process trees. */
@Command(name = "tether",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Start process trees and stop them with nothing left behind.",
            "",
            "Every process a Tether session starts, and every process those start, is stopped",
            "gracefully (a signal, a grace period) then forcibly when the session ends."
        },
        subcommands = {RunCommand.class, ServeCommand.class, StartCommand.class, StopCommand.class, LogsCommand.class,
            PsCommand.class, PortCommand.class, CleanupCommand.class, DoctorCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  tether run -- python3 -m http.server 8000",
                "  tether run --grace 5s --name dev -- npm run dev",
                "  tether serve &                                   # then, from any shell:",
                "  tether start --name api --port any --ready http:/health -- ./api.sh",
                "  tether ps", "  tether logs -f ID", "  tether stop --all",
                "  tether port 5173", "  tether cleanup --dry-run", "", ExitCodes.HELP})
public final class TetherCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Tether's home (registry, PID file, session directories); default $TETHER_HOME or ~/.local/state/tether.")
    Path home;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log more, and show stack traces with errors.")
    boolean verbose;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: tether run -- CMD, tether start -- CMD, or tether --help)");
    }

    /** Settings from flags > environment > config file > defaults. */
    TetherSettings settings() {
        return settings(Map.of());
    }

    /** Settings with a subcommand's own flags (keys as in {@link TetherSettings#KEYS}) on top. */
    TetherSettings settings(Map<String, String> flags) {
        Map<String, String> overrides = new HashMap<>(flags);
        if (home != null) {
            overrides.put("home", home.toAbsolutePath().normalize().toString());
        }
        try {
            return TetherSettings.load(System.getenv(), overrides);
        } catch (InvalidSpecException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        TetherCommand top = new TetherCommand();
        CommandLine cl = new CommandLine(top);
        cl.setParameterExceptionHandler(new UsageErrors());
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILURE);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof DaemonNotRunningException) {
                cmd.getErr().println(cmd.getColorScheme().errorText("tether: " + e.getMessage()));
                cmd.getErr().println("hint: start one with `tether serve" + (top.home == null ? "" : " --home " + top.home) + "`");
                if (top.verbose) {
                    e.printStackTrace(cmd.getErr());
                }
                return ExitCodes.DAEMON_NOT_RUNNING;
            }
            if (e instanceof TetherApiException api) {
                DaemonErrors.print(cmd.getErr(), Terminal.detect(), api);
                if (top.verbose) {
                    e.printStackTrace(cmd.getErr());
                }
                return DaemonErrors.exitCode(api);
            }
            cmd.getErr().println(cmd.getColorScheme().errorText("tether: " + e.getMessage()));
            String hint = hintFor(e);
            if (!hint.isEmpty()) {
                cmd.getErr().println("hint: " + hint);
            }
            if (top.verbose) {
                e.printStackTrace(cmd.getErr());
            }
            return e instanceof dev.tether.PidFile.HeldException ? ExitCodes.REFUSED : ExitCodes.FAILURE;
        });
        // Everything after CMD belongs to CMD: `tether run ls -la` needs no `--`.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.getSubcommands().get("start").setStopAtPositional(true);
        return cl;
    }

    private static String hintFor(Exception e) {
        if (e instanceof dev.tether.registry.RegistryException) {
            return "see `tether doctor`";
        }
        if (e instanceof java.io.UncheckedIOException) {
            return "the daemon's own output (tether serve) may say why; `tether doctor` checks this machine";
        }
        if (e instanceof TetherException) {
            return "run with --verbose for details, or `tether doctor` to check this machine";
        }
        return "this is a bug in Tether; run with --verbose and report the stack trace";
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
