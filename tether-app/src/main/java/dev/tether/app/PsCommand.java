package dev.tether.app;

import dev.tether.HomeInspector;
import dev.tether.ResourceUsage;
import dev.tether.TetherSettings;
import dev.tether.client.SessionQuery;
import dev.tether.client.TetherClient;
import dev.tether.client.api.SessionView;
import dev.tether.client.api.UsageView;
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

/**
 * {@code tether ps}: the sessions of this home. Asks the home's daemon when one answers (its view
 * includes other supervisors' sessions on the home, from the registry); otherwise reads the
 * registry directly, read-only. The rows have the same fields either way.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = {"List sessions: id, name, state, pid, port, uptime, CPU and memory.",
            "Asks the home's daemon when one runs (tether serve); otherwise reads the",
            "home's registry directly (read-only)."},
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

    /** The JSON shape of one session; field names are stable ({@code tags} and {@code restarts} came later). */
    record Row(String id, String name, String state, Long pid, Integer port, String instance, String started_at,
               Long uptime_seconds, Double cpu_seconds, Long rss_bytes, Integer processes, String exit, String directory,
               List<String> tags, Integer restarts) {}

    @Override
    public Integer call() {
        TetherSettings settings = parent.settings();
        List<Row> rows = HomeDaemon.find(settings.home()).map(this::fromDaemon).orElseGet(() -> fromRegistry(settings));
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

    private List<Row> fromDaemon(TetherClient client) {
        String daemonInstance = client.health().instance(); // the daemon's own sessions carry no instance in its views
        List<Row> rows = new ArrayList<>();
        for (SessionView s : client.sessions(all ? SessionQuery.everything() : SessionQuery.live()).sessions()) {
            UsageView u = s.usage();
            rows.add(new Row(s.id(), s.name(), s.state().name(), s.pid(), s.port(),
                    s.instance() != null ? s.instance() : s.owned() ? daemonInstance : null,
                    s.startedAt() == null ? null : s.startedAt().toString(),
                    s.uptimeMs() == null ? 0 : s.uptimeMs() / 1000, u == null ? null : u.cpuMs() / 1000.0,
                    u == null ? null : u.rssBytes(), u == null ? null : u.processes(), s.exit() == null ? null : s.exit().text(),
                    s.directory(), s.tags(), s.restart() == null ? null : s.restart().restarts()));
        }
        return rows;
    }

    private List<Row> fromRegistry(TetherSettings settings) {
        List<Row> rows = new ArrayList<>();
        try (HomeInspector home = HomeInspector.open(settings)) {
            for (SessionRecord s : home.sessions(!all)) {
                ResourceUsage u = home.usage(s);
                Instant start = s.startedAt().orElse(s.intent().createdAt());
                Instant end = s.endedAt().orElse(Instant.now());
                // A pid only while something may run: an ended session's old pid may belong to another program now.
                rows.add(new Row(s.id(), s.name(), s.state().name(), s.isLive() ? s.main().map(m -> m.pid()).orElse(null) : null,
                        s.intent().port().isPresent() ? s.intent().port().getAsInt() : null, s.intent().instanceId(),
                        start.toString(), Duration.between(start, end).toSeconds(),
                        s.isLive() ? u.cpu().toMillis() / 1000.0 : null, s.isLive() ? u.rssBytes() : null,
                        s.isLive() ? u.processes() : null, s.exit().map(Object::toString).orElse(null),
                        s.intent().directory().map(Object::toString).orElse(null), List.copyOf(s.intent().tags()), null));
            }
        }
        return rows;
    }
}
