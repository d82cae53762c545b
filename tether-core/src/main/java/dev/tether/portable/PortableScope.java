package dev.tether.portable;

import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.internal.Identities;
import dev.tether.linux.ProcFs;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A session found by {@link ProcessHandle}: the main process and its descendants now, plus the
 * processes carrying the session marker where {@code /proc} is readable. Descendants are swept
 * again on every look, so children forked after a snapshot are found the next time.
 */
final class PortableScope implements SessionScope {
    private static final boolean PROC = ProcFs.available();
    private final ScopeKey key;
    private final byte[] marker;
    private volatile ProcessId main;

    PortableScope(ScopeKey key) {
        this.key = key;
        this.marker = key.markerEntry().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void bind(ProcessId mainProcess) {
        this.main = mainProcess;
    }

    @Override
    public List<ProcessId> members() {
        Set<ProcessId> out = new LinkedHashSet<>();
        ProcessId m = main;
        if (m != null && m.isAlive()) {
            out.add(m);
            ProcessHandle.of(m.pid()).ifPresent(h -> h.descendants()
                    .forEach(d -> Identities.of(d).ifPresent(out::add)));
        }
        if (PROC) {
            long self = ProcessHandle.current().pid();
            for (long pid : ProcFs.pids()) {
                if (pid != self && ProcFs.environContains(pid, marker)) {
                    Identities.of(pid).ifPresent(out::add);
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public boolean isEmpty() {
        return members().isEmpty();
    }

    @Override
    public int signal(Collection<ProcessId> members, Signal signal) {
        int n = 0;
        for (ProcessId id : members) {
            if (signalOne(id, signal)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void killAll(Collection<ProcessId> members) {
        signal(members, Signal.KILL);
    }

    @Override
    public void release() {}

    @Override
    public String describe() {
        return "descendants of " + Optional.ofNullable(main).map(ProcessId::pid).map(String::valueOf).orElse("?")
                + (PROC ? " + marker " + key.markerEntry() : "");
    }

    /** KILL, or TERM for any other stop signal, through {@link ProcessHandle} after checking the start time. */
    static boolean signalOne(ProcessId id, Signal signal) {
        Optional<ProcessHandle> h = ProcessHandle.of(id.pid());
        if (h.isEmpty() || !Identities.of(h.get()).map(id::equals).orElse(false)) {
            return false;
        }
        if (signal.equals(Signal.KILL)) {
            return h.get().destroyForcibly();
        }
        if (signal.equals(Signal.STOP) || signal.equals(Signal.CONT)) {
            return false;
        }
        return h.get().destroy(); // SIGTERM: the only other signal ProcessHandle can send
    }
}
