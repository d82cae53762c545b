package dev.tether.linux;

import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.TetherException;
import dev.tether.internal.Identities;
import dev.tether.internal.Poll;
import dev.tether.spi.SessionScope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session as a cgroup v2 directory. Every descendant of the main process stays inside (the
 * main process enters before it can fork), whatever it does to its session, process group or
 * environment; {@code cgroup.kill} ends them all at once, forks in flight included.
 */
final class CgroupScope implements SessionScope {
    private static final Logger log = LoggerFactory.getLogger(CgroupScope.class);
    private static final Duration FREEZE_WAIT = Duration.ofMillis(100);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(1);

    private final Path dir;
    private final OrphanReaper reaper;
    /** The main process: until its gate has written it into cgroup.procs it is a member outside the cgroup. */
    private volatile ProcessId main;

    CgroupScope(Path dir, OrphanReaper reaper) {
        this.dir = dir;
        this.reaper = reaper;
    }

    /** Creates the cgroup directory (and the instance directory above it). */
    static CgroupScope create(Path dir, OrphanReaper reaper) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TetherException("cannot create cgroup " + dir + ": " + e.getMessage()
                    + "; check that cgroup v2 is writable here (tether doctor)", e);
        }
        return new CgroupScope(dir, reaper);
    }

    /** The {@code cgroup.procs} file a gated spawn writes its own pid into before exec. */
    Path procsFile() {
        return dir.resolve("cgroup.procs");
    }

    @Override
    public void bind(ProcessId mainProcess) {
        this.main = mainProcess;
    }

    /** The main process while it lives and has not entered the cgroup yet (it is still in its gate). */
    private Optional<ProcessId> mainOutside(List<ProcessId> inside) {
        ProcessId m = main;
        if (m == null || inside.contains(m) || !m.isAlive()) {
            return Optional.empty();
        }
        return Optional.of(m);
    }

    @Override
    public List<ProcessId> members() {
        List<ProcessId> out = new ArrayList<>();
        if (!populated()) { // one read; the walk below stats every interface file of every cgroup
            mainOutside(out).ifPresent(out::add);
            return out;
        }
        try {
            for (Path cg : Cgroups.treeDeepestFirst(dir)) {
                byte[] data = ProcFs.read(cg.resolve("cgroup.procs"));
                if (data == null) {
                    continue;
                }
                for (String s : new String(data, StandardCharsets.US_ASCII).split("\n")) {
                    if (s.isEmpty()) {
                        continue;
                    }
                    long pid = Long.parseLong(s);
                    Identities.of(pid).ifPresent(id -> {
                        reaper.claim(id.pid(), id.startTime());
                        out.add(id);
                    });
                }
            }
        } catch (NoSuchFileException e) {
            // removed: no members inside
        } catch (IOException e) {
            throw new TetherException("cannot list members of cgroup " + dir + ": " + e.getMessage(), e);
        }
        mainOutside(out).ifPresent(out::add);
        return out;
    }

    @Override
    public boolean isEmpty() {
        return !populated() && mainOutside(List.of()).isEmpty();
    }

    /** Whether a process is in the cgroup or below it ({@code populated 1} in {@code cgroup.events}); false once removed. */
    private boolean populated() {
        return Cgroups.keyedValue(dir.resolve("cgroup.events"), "populated").map("1"::equals).orElse(false);
    }

    @Override
    public int signal(Collection<ProcessId> members, Signal signal) {
        int delivered = 0;
        for (ProcessId id : members) {
            if (Pidfds.signal(id, signal)) {
                delivered++;
            }
        }
        return delivered;
    }

    @Override
    public void killAll(Collection<ProcessId> members) {
        mainOutside(List.of()).ifPresent(m -> Pidfds.signal(m, Signal.KILL));
        try {
            Cgroups.write(dir.resolve("cgroup.kill"), "1");
        } catch (NoSuchFileException e) {
            // already removed: nothing left to kill
        } catch (IOException e) {
            log.warn("cgroup.kill failed on {} ({}); killing members one by one", dir, e.getMessage());
            signal(members, Signal.STOP);
            signal(members, Signal.KILL);
        }
    }

    @Override
    public boolean freeze() {
        try {
            Cgroups.write(dir.resolve("cgroup.freeze"), "1");
        } catch (IOException e) {
            return false;
        }
        Poll.until(() -> Cgroups.keyedValue(dir.resolve("cgroup.events"), "frozen").map("1"::equals).orElse(true),
                FREEZE_WAIT);
        return true;
    }

    @Override
    public void thaw() {
        try {
            Cgroups.write(dir.resolve("cgroup.freeze"), "0");
        } catch (IOException e) {
            log.warn("cannot thaw {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public void release() {
        if (!Files.exists(dir)) {
            return;
        }
        boolean removed = Poll.until(this::tryRemove, RELEASE_WAIT);
        if (!removed) {
            log.warn("cgroup {} could not be removed (still populated?)", dir);
        }
    }

    private boolean tryRemove() {
        try {
            Files.deleteIfExists(dir); // the usual case: no cgroup below it
            return true;
        } catch (IOException e) {
            // a cgroup below it (or still populated): remove the tree deepest first
        }
        try {
            for (Path cg : Cgroups.treeDeepestFirst(dir)) {
                Files.deleteIfExists(cg);
            }
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Optional<String> cgroup() {
        return Optional.of(dir.toString());
    }

    @Override
    public String describe() {
        return "cgroup " + dir;
    }
}
