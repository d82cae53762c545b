package dev.tether.app;

import dev.tether.HomeInspector;
import dev.tether.OrphanReport;
import dev.tether.PidFile;
import dev.tether.PortOwner;
import dev.tether.Ports;
import dev.tether.ProcessId;
import dev.tether.ProcessInfo;
import dev.tether.ReconcileReport;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import dev.tether.TetherSettings;
import dev.tether.registry.InstanceRecord;
import dev.tether.registry.SessionRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tether cleanup}: finds what dead supervisors left (sessions, marked processes, session
 * directories, a stale PID file) and, with {@code --port}, who holds a port; shows it; and stops
 * it after confirmation ({@code [y/N]} on a terminal, {@code --yes} for scripts). A process that is
 * not Tether's is stopped only when named through {@code --port} and confirmed; another user's never.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Find and stop what dead Tether supervisors left behind: their sessions, marked processes",
            "that belong to no live session, stale session directories and PID files; with --port, also",
            "whoever holds that port. Shows what it would do, asks [y/N] on a terminal, acts with --yes."},
        footer = {"", "Examples:", "  tether cleanup --dry-run", "  tether cleanup --yes",
            "  tether cleanup --port 5173          # free a port held by a leftover dev server"})
final class CleanupCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "PORT", description = "Also stop whoever holds this TCP port (after confirmation).")
    Integer port;

    @Option(names = "--dry-run", description = "Only show what would be done.")
    boolean dryRun;

    @Option(names = "--yes", description = "Act without asking (for scripts).")
    boolean yes;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    record Item(String kind, String id, Long pid, String user, String command, String session, String action) {}

    record Result(boolean dry_run, boolean acted, List<Item> found, Integer stopped_processes, Integer sessions_closed) {}

    @Override
    public Integer call() {
        if (port != null && (port < 1 || port > 65535)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 1..65535, got " + port);
        }
        TetherSettings settings = parent.settings();
        Path pidFile = settings.home().resolve("tether.pid");
        PrintWriter out = spec.commandLine().getOut();
        Terminal term = Terminal.detect();
        List<Item> items = new ArrayList<>();
        List<ProcessId> portHolders = new ArrayList<>();
        try (HomeInspector home = HomeInspector.open(settings)) {
            HomeInspector.Findings f = home.findings(pidFile);
            for (InstanceRecord i : f.deadInstances()) {
                items.add(new Item("dead_supervisor", i.id(), i.process().pid(), i.user(), "started " + i.startedAt(), null, "close its record"));
            }
            for (SessionRecord s : f.leftoverSessions()) {
                items.add(new Item("leftover_session", s.id(), s.main().map(ProcessId::pid).orElse(null), null,
                        String.join(" ", s.intent().argv()), s.id(), "stop what is left, record as LOST"));
            }
            for (ProcessInfo p : f.orphanProcesses()) {
                items.add(new Item("orphan_process", null, p.pid(), String.valueOf(p.uid()), p.command(), p.session().orElse(null), "stop"));
            }
            f.staleDirectories().forEach(d -> items.add(new Item("stale_directory", d.toString(), null, null, null, null, "remove")));
            f.stalePidFile().ifPresent(p -> items.add(new Item("stale_pid_file", p.toString(), null, null, null, null, "remove")));
        }
        if (port != null) {
            int me = currentUid();
            for (PortOwner o : Ports.owners(port)) {
                boolean mine = o.process().uid() == me;
                items.add(new Item("port_holder", String.valueOf(port), o.pid(), o.user(), o.command(), o.session().orElse(null),
                        mine ? "stop (named with --port)" : "leave alone: another user's process"));
                if (mine) {
                    portHolders.add(o.id());
                }
            }
        }
        if (!json) {
            print(out, term, items);
        }
        if (items.isEmpty() || dryRun) {
            if (json) {
                Json.print(out, new Result(dryRun, false, items, null, null));
            } else if (items.isEmpty()) {
                out.println("nothing to clean up");
            } else {
                out.println("dry run: nothing was changed");
            }
            out.flush();
            return items.isEmpty() ? ExitCodes.NOTHING_TO_DO : ExitCodes.OK;
        }
        if (!yes) {
            if (!term.interactive()) {
                spec.commandLine().getErr().println("tether: refusing to act without confirmation; pass --yes (or --dry-run to only look)");
                return ExitCodes.REFUSED;
            }
            if (!term.confirm(out, "Stop and remove the above?")) {
                out.println("nothing was changed");
                out.flush();
                return ExitCodes.REFUSED;
            }
        }
        int stopped = 0;
        int closed;
        try (Supervisor sup = Supervisor.builder().settings(settings).guardian(false).shutdownHook(false)
                .reconcileAtOpen(false).open()) {
            ReconcileReport r = sup.reconcile();
            OrphanReport o = sup.cleanupOrphans(false);
            stopped += r.processesStopped() + o.count();
            closed = r.sessionsLost();
            if (!portHolders.isEmpty()) {
                StopReport s = sup.stopProcesses(portHolders, settings.grace());
                stopped += Math.max(s.signalled(), s.killed());
            }
        }
        PidFile.inspect(pidFile); // removes it if stale
        if (json) {
            Json.print(out, new Result(false, true, items, stopped, closed));
        } else {
            out.println(term.green("done") + ": " + stopped + " process(es) stopped, " + closed + " session record(s) closed as LOST");
            if (port != null) {
                out.println("port " + port + (Ports.owners(port).isEmpty() ? " is free now" : " is still held (see tether port " + port + ")"));
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, Terminal term, List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        Table t = new Table("WHAT", "ID", "PID", "USER", "SESSION", "ACTION", "COMMAND");
        for (Item i : items) {
            t.row(i.kind().replace('_', ' '), i.id(), i.pid(), i.user(), i.session(),
                    i.action().startsWith("leave") ? term.yellow(i.action()) : i.action(), i.command());
        }
        t.print(out);
    }

    private static int currentUid() {
        try {
            return (Integer) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (Exception e) {
            return -1;
        }
    }
}
