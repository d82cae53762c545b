package dev.tether.app;

import dev.tether.Containment;
import dev.tether.PidFile;
import dev.tether.Supervisor;
import dev.tether.TetherSettings;
import dev.tether.internal.Platforms;
import dev.tether.linux.LinuxPlatform;
import dev.tether.registry.Registry;
import dev.tether.registry.TetherHome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tether doctor}: which guarantees this machine gives, and why; a fix for each gap. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check which guarantees this machine gives: cgroup v2, pidfd, subreaper, native access,",
            "glibc, registry, daemon, guardian. Each problem comes with a fix."},
        footer = {"", "Examples:", "  tether doctor", "  tether doctor --json"})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    enum Status { ok, warn, fail }

    record Check(String name, Status status, String detail, String fix) {}

    record Report(String containment, List<Check> checks) {}

    @Override
    public Integer call() {
        TetherSettings settings = parent.settings();
        List<Check> checks = new ArrayList<>();
        boolean linux = System.getProperty("os.name", "").equals("Linux");
        boolean nativeAccess = Supervisor.class.getModule().isNativeAccessEnabled();
        checks.add(new Check("os", linux ? Status.ok : Status.warn,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                linux ? "" : "only the portable backend runs here: no cgroups, no subreaper, TERM and KILL only"));
        checks.add(new Check("native access", nativeAccess ? Status.ok : Status.fail,
                nativeAccess ? "enabled" : "not enabled for Tether",
                nativeAccess ? "" : "run through ./tether, or java --enable-native-access=ALL-UNNAMED"));
        boolean usable = LinuxPlatform.usable();
        if (usable) {
            String glibc = LinuxPlatform.glibcVersion();
            boolean closefrom = compare(glibc, "2.34") >= 0;
            checks.add(new Check("glibc", closefrom ? Status.ok : Status.warn, glibc,
                    closefrom ? "" : "glibc < 2.34 has no posix_spawn_file_actions_addclosefrom_np: children may inherit JVM descriptors; upgrade glibc"));
            boolean pidfd = LinuxPlatform.pidfdSupported();
            checks.add(new Check("pidfd", pidfd ? Status.ok : Status.fail,
                    pidfd ? "pidfd_open works: signals cannot hit a recycled pid" : "pidfd_open failed",
                    pidfd ? "" : "Tether needs Linux 5.3 or later for exit notification"));
            boolean cg = LinuxPlatform.cgroupsAvailable();
            String where = LinuxPlatform.cgroupMount().map(Path::toString).orElse("no cgroup2 mount")
                    + LinuxPlatform.ownCgroup().map(c -> ", own cgroup " + c).orElse("");
            checks.add(new Check("cgroup v2", cg ? Status.ok : Status.warn,
                    (cg ? "writable: a cgroup per session, escapees and env -i included (" : "not writable (") + where + ")",
                    cg ? "" : "run as root, in a container, or in a delegated subtree: systemd-run --user --scope -p Delegate=yes ./tether ..."));
            boolean subreaper = LinuxPlatform.create(false).isSubreaper();
            checks.add(new Check("subreaper", subreaper ? Status.ok : Status.warn,
                    subreaper ? "orphaned daemons re-parent to the supervisor and are reaped" : "prctl(PR_SET_CHILD_SUBREAPER) failed",
                    subreaper ? "" : "orphans re-parent to init; check seccomp/container restrictions"));
        }
        Containment level = Platforms.best();
        checks.add(new Check("containment", level == Containment.CGROUP ? Status.ok : Status.warn,
                level + ": " + level.summary(), level == Containment.CGROUP ? "" : "see the cgroup v2 line"));
        checks.add(guardian());
        checks.add(registry(settings));
        checks.add(daemon(settings));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, new Report(level.name(), checks));
        } else {
            Terminal term = Terminal.detect();
            Table t = new Table("CHECK", "STATUS", "DETAIL");
            for (Check c : checks) {
                String st = switch (c.status()) {
                    case ok -> term.green("ok");
                    case warn -> term.yellow("warn");
                    case fail -> term.red("FAIL");
                };
                t.row(c.name(), st, c.detail() + (c.fix().isEmpty() ? "" : "  -> fix: " + c.fix()));
            }
            t.print(out);
        }
        return checks.stream().anyMatch(c -> c.status() == Status.fail) ? ExitCodes.FAILURE : ExitCodes.OK;
    }

    private static Check guardian() {
        boolean sh = Files.isExecutable(Path.of("/bin/sh"));
        boolean grep = Files.isExecutable(Path.of("/bin/grep")) || Files.isExecutable(Path.of("/usr/bin/grep"));
        boolean ok = sh && grep;
        return new Check("guardian", ok ? Status.ok : Status.warn,
                ok ? "/bin/sh and grep present: a guardian can kill a SIGKILLed supervisor's sessions" : "missing /bin/sh or grep",
                ok ? "" : "install a POSIX shell and GNU grep; without them only reconciliation cleans up after SIGKILL");
    }

    private static Check registry(TetherSettings settings) {
        Path file = TetherHome.registryFile(settings.home());
        if (!Files.exists(file)) {
            return new Check("registry", Status.ok, "none yet at " + file + " (created on first use)", "");
        }
        try (Registry r = Registry.open(file)) {
            return new Check("registry", Status.ok, file + ": " + r.liveSessions().size() + " live session(s) recorded", "");
        } catch (RuntimeException e) {
            return new Check("registry", Status.fail, e.getMessage(), "see the message; a corrupt file can be moved aside");
        }
    }

    private static Check daemon(TetherSettings settings) {
        Path pid = settings.home().resolve("tether.pid");
        return PidFile.peek(pid)
                .map(h -> new Check("daemon", Status.ok, "running: pid " + h.pid() + ", started " + Formats.time(h.startedAt())
                        + (h.attributes().containsKey("port") ? ", port " + h.attributes().get("port") : ""), ""))
                .orElseGet(() -> new Check("daemon", Status.ok, "not running"
                        + (Files.exists(pid) ? " (stale PID file " + pid + ": tether cleanup removes it)" : ""), ""));
    }

    /** Compares dotted versions numerically. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parseLeading(x[i]) : 0;
            int q = i < y.length ? parseLeading(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parseLeading(String s) {
        int n = 0;
        for (char c : s.toCharArray()) {
            if (!Character.isDigit(c)) {
                break;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
