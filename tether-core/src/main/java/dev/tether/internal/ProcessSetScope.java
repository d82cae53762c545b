package dev.tether.internal;

import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.spi.Platform;
import dev.tether.spi.SessionScope;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Named processes that are not a session (e.g. the holder of a port the user chose to stop),
 * with whatever descendants they have at each look, for the one stop algorithm.
 */
public final class ProcessSetScope implements SessionScope {
    private final List<ProcessId> roots;
    private final Platform platform;

    public ProcessSetScope(Collection<ProcessId> roots, Platform platform) {
        this.roots = List.copyOf(roots);
        this.platform = platform;
    }

    @Override
    public void bind(ProcessId main) {}

    @Override
    public List<ProcessId> members() {
        Set<ProcessId> out = new LinkedHashSet<>();
        for (ProcessId root : roots) {
            if (root.isAlive()) {
                out.add(root);
                ProcessHandle.of(root.pid()).ifPresent(h -> h.descendants()
                        .forEach(d -> Identities.of(d).ifPresent(out::add)));
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
            if (platform.signal(id, signal)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void killAll(Collection<ProcessId> members) {
        signal(members, Signal.STOP);
        signal(members, Signal.KILL);
    }

    @Override
    public void release() {}

    @Override
    public String describe() {
        return "processes " + roots + " and their descendants";
    }
}
