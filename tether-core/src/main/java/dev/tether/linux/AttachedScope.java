package dev.tether.linux;

import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.spi.SessionScope;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A recorded session found again by reconciliation: its cgroup and its marker together. The
 * marker also catches what the cgroup cannot show yet, such as a main process its dead supervisor
 * spawned that is still in its gate, about to enter the cgroup.
 */
final class AttachedScope implements SessionScope {
    private final CgroupScope cgroup;
    private final MarkerScope marker;

    AttachedScope(CgroupScope cgroup, MarkerScope marker) {
        this.cgroup = cgroup;
        this.marker = marker;
    }

    @Override
    public void bind(ProcessId main) {
        cgroup.bind(main);
        marker.bind(main);
    }

    @Override
    public List<ProcessId> members() {
        Set<ProcessId> all = new LinkedHashSet<>(cgroup.members());
        all.addAll(marker.members());
        return List.copyOf(all);
    }

    @Override
    public boolean isEmpty() {
        return cgroup.isEmpty() && marker.isEmpty();
    }

    @Override
    public int signal(Collection<ProcessId> members, Signal signal) {
        return cgroup.signal(members, signal);
    }

    @Override
    public void killAll(Collection<ProcessId> members) {
        cgroup.killAll(members);
        marker.killAll(members);
    }

    @Override
    public boolean freeze() {
        return cgroup.freeze();
    }

    @Override
    public void thaw() {
        cgroup.thaw();
    }

    @Override
    public void release() {
        cgroup.release();
    }

    @Override
    public Optional<String> cgroup() {
        return cgroup.cgroup();
    }

    @Override
    public String describe() {
        return cgroup.describe() + " + " + marker.describe();
    }
}
