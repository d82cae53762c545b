package dev.tether.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        subcommands = {RunCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  tether run -- python3 -m http.server 8000",
                "  tether run --grace 5s --name dev -- npm run dev", "", ExitCodes.HELP})
public final class TetherCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: tether run -- CMD)");
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TetherCommand());
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILURE);
        // Everything after CMD belongs to CMD: `tether run ls -la` needs no `--`.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
