package dev.tether.linux;

import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.internal.Identities;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A session without a cgroup: the processes whose initial environment carries the session's
 * marker, plus those still in the main process's session or process group (which catches a
 * descendant that cleared its environment but did not call {@code setsid}).
 *
 * <p>Session-id matches count only while the main process's pid is not held by some other
 * process, and only for processes started no earlier than the main one: the kernel does not reuse
 * a pid that is still some process's session or group id, so such a match is ours.
 * Limit: a process that both calls {@code setsid} and clears its environment is not found.
 */
final class MarkerScope implements SessionScope {
    private final ScopeKey key;
    private final byte[] marker;
    private final OrphanReaper reaper;
    private final long self = ProcessHandle.current().pid();
    private volatile ProcessId main;
    /**
     * Look only below the main process and among this JVM's adopted orphans: true for sessions
     * this JVM spawned while it is a subreaper, since then a descendant is either below the living
     * main or was re-parented to this JVM. A look falls back to the whole of /proc whenever the
     * walk saw the tree change under it.
     */
    private final boolean descendantsOnly;

    MarkerScope(ScopeKey key, OrphanReaper reaper, boolean descendantsOnly) {
        this.key = key;
        this.marker = key.markerEntry().getBytes(StandardCharsets.UTF_8);
        this.reaper = reaper;
        this.descendantsOnly = descendantsOnly;
    }

    @Override
    public void bind(ProcessId mainProcess) {
        this.main = mainProcess;
    }

    /**
     * One look at the main process's pid, answering both questions a look for members asks: is the
     * pid still a valid session/group id of ours ({@code leader}, -1 once another process holds it;
     * see class doc), and does the main itself still run.
     */
    private record MainPid(long leader, boolean mainAlive) {
        static MainPid of(ProcessId m) {
            if (m == null) {
                return new MainPid(-1, false);
            }
            Optional<ProcessId> holder = Identities.of(m.pid());
            boolean itself = holder.isPresent() && holder.get().startTime() == m.startTime();
            boolean recycled = holder.isPresent() && !itself;
            return new MainPid(recycled ? -1 : m.pid(), itself);
        }
    }

    @Override
    public List<ProcessId> members() {
        ProcessId m = main;
        MainPid look = MainPid.of(m);
        long leader = look.leader();
        if (descendantsOnly) {
            Optional<List<ProcFs.Stat>> subtree = ProcFs.descendantsStable(roots(m, look.mainAlive()));
            if (subtree.isPresent()) {
                List<ProcessId> out = new ArrayList<>();
                for (ProcFs.Stat st : subtree.get()) {
                    addIfMember(st, leader, m, out);
                }
                return out;
            }
        }
        List<ProcessId> out = new ArrayList<>();
        for (long pid : ProcFs.pids()) {
            if (pid == self) {
                continue;
            }
            ProcFs.stat(pid).filter(st -> !st.isZombie()).ifPresent(st -> addIfMember(st, leader, m, out));
        }
        return out;
    }

    /**
     * Where a walk for this session's processes starts: the main process while it lives (its
     * descendants are below it), then the children this JVM adopted (a subreaper's orphans go to
     * its leader thread). Read in that order, a child orphaned while the walk runs is seen below
     * the main or among the adopted, or makes the walk unstable.
     */
    private static List<Long> roots(ProcessId main, boolean mainAlive) {
        List<Long> roots = new ArrayList<>();
        if (mainAlive) {
            roots.add(main.pid());
        }
        roots.addAll(LeaderThread.adoptedChildren());
        return roots;
    }

    private void addIfMember(ProcFs.Stat st, long leader, ProcessId m, List<ProcessId> out) {
        boolean inGroup = leader > 0 && (st.session() == leader || st.processGroup() == leader)
                && st.startTime() >= m.startTime();
        if (inGroup || ProcFs.environContains(st.pid(), marker)) {
            reaper.claim(st.pid(), st.startTime());
            out.add(new ProcessId(Identities.bootId(), st.pid(), st.startTime()));
        }
    }

    @Override
    public boolean isEmpty() {
        return members().isEmpty();
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

    /** Stops every listed member first (so none forks a replacement), then kills them. */
    @Override
    public void killAll(Collection<ProcessId> members) {
        signal(members, Signal.STOP);
        signal(members, Signal.KILL);
    }

    @Override
    public void release() {
        // Nothing was created for this scope.
    }

    @Override
    public String describe() {
        return "marker " + key.markerEntry() + (main != null ? " + session/group " + main.pid() : "");
    }
}
