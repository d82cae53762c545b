package dev.tether.app;

import dev.tether.PortOwner;
import dev.tether.Ports;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tether port N}: who holds a TCP port. */
@Command(name = "port", mixinStandardHelpOptions = true,
        description = "Show who listens on a TCP port: pid, user, command, start time, and its Tether session if it has one.",
        footer = {"", "Examples:", "  tether port 5173", "  tether port 8000 --json"})
final class PortCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PORT", description = "TCP port, 1-65535.")
    int port;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The JSON shape of one holder. */
    record Holder(long pid, String user, String command, String started_at, String address, String session) {
        static Holder of(PortOwner o) {
            return new Holder(o.pid(), o.user(), o.command(), o.startedAt().map(Object::toString).orElse(null),
                    o.address(), o.session().orElse(null));
        }
    }

    record Answer(int port, boolean free, List<Holder> holders) {}

    @Override
    public Integer call() {
        if (port < 1 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "PORT must be 1..65535, got " + port);
        }
        List<PortOwner> owners = Ports.owners(port);
        boolean free = owners.isEmpty() && Ports.isFree(port);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, new Answer(port, free, owners.stream().map(Holder::of).toList()));
            return ExitCodes.OK;
        }
        if (owners.isEmpty()) {
            out.println(free ? "port " + port + " is free"
                    : "port " + port + " is in use, but its holder is not visible to this user (try as root)");
            return ExitCodes.OK;
        }
        Table t = new Table("PID", "USER", "STARTED", "ADDRESS", "SESSION", "COMMAND");
        for (PortOwner o : owners) {
            t.row(o.pid(), o.user(), o.startedAt().map(Formats::time).orElse("?"), o.address() + ":" + port,
                    o.session().orElse("-"), o.command());
        }
        t.print(out);
        return ExitCodes.OK;
    }
}
