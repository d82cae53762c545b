package dev.tether.app;

import dev.tether.client.TetherClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether logs}: a session's output as the daemon keeps it; with {@code -f}, followed until the session ends. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print a session's output (stdout and stderr, kept by the daemon).",
            "The last lines; with -f, then every new line until the session ends."},
        footer = {"", "Examples:", "  tether logs k3x9q2m7d8p4w6ta", "  tether logs -f k3x9q2m7d8p4w6ta",
            "  tether logs --tail 1000 k3x9q2m7d8p4w6ta | grep ERROR"})
final class LogsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The session (tether ps lists them).")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the session ends.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "100",
            description = "How many last lines to print first (default: ${DEFAULT-VALUE}).")
    int tail;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (tail < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tail must be 0 or more, got " + tail);
        }
        TetherClient client = HomeDaemon.require(parent.settings().home());
        PrintWriter out = spec.commandLine().getOut();
        if (follow) {
            client.followLogs(id, tail, line -> {
                out.println(line);
                out.flush();
            });
        } else {
            out.print(client.logs(id, tail));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
