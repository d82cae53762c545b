package dev.tether.app;

import dev.tether.HomeInspector;
import dev.tether.ResourceUsage;
import dev.tether.registry.SessionRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tether ps}: the sessions recorded in this home, read-only. */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List sessions: id, name, state, pid, port, uptime, CPU and memory.",
            "Reads the home's registry directly (read-only)."},
        footer = {"", "Examples:", "  tether ps", "  tether ps --all --json"})
final class PsCommand implements Callable<Integer> {
    @Option(names = "--all", description = "Include sessions that have ended.")
    boolean all;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The JSON shape of one session; field names are stable. */
    record Row(String id, String name, String state, Long pid, Integer port, String instance, String started_at,
               Long uptime_seconds, Double cpu_seconds, Long rss_bytes, Integer processes, String exit, String directory) {}

    @Override
    public Integer call() {
        List<Row> rows = new ArrayList<>();
        try (HomeInspector home = HomeInspector.open(parent.settings())) {
            for (SessionRecord s : home.sessions(!all)) {
                ResourceUsage u = home.usage(s);
                Instant start = s.startedAt().orElse(s.intent().createdAt());
                Instant end = s.endedAt().orElse(Instant.now());
                rows.add(new Row(s.id(), s.name(), s.state().name(), s.main().map(m -> m.pid()).orElse(null),
                        s.intent().port().isPresent() ? s.intent().port().getAsInt() : null, s.intent().instanceId(),
                        start.toString(), Duration.between(start, end).toSeconds(),
                        s.isLive() ? u.cpu().toMillis() / 1000.0 : null, s.isLive() ? u.rssBytes() : null,
                        s.isLive() ? u.processes() : null, s.exit().map(Object::toString).orElse(null),
                        s.intent().directory().map(Object::toString).orElse(null)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, rows);
            return ExitCodes.OK;
        }
        if (rows.isEmpty()) {
            out.println(all ? "no sessions recorded" : "no live sessions (tether ps --all shows ended ones)");
            out.flush();
            return ExitCodes.OK;
        }
        Table t = new Table("ID", "NAME", "STATE", "PID", "PORT", "UPTIME", "CPU", "MEM", "PROCS");
        for (Row r : rows) {
            t.row(r.id(), r.name(), r.state(), r.pid(), r.port(), Formats.duration(Duration.ofSeconds(r.uptime_seconds())),
                    r.cpu_seconds() == null ? "-" : Formats.duration(Duration.ofMillis((long) (r.cpu_seconds() * 1000))),
                    r.rss_bytes() == null ? "-" : Formats.size(r.rss_bytes()), r.processes());
        }
        t.print(out);
        return ExitCodes.OK;
    }
}
