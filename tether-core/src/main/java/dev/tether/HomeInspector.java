package dev.tether;

import dev.tether.internal.Orphans;
import dev.tether.internal.Platforms;
import dev.tether.internal.SessionDirectories;
import dev.tether.registry.InstanceFilter;
import dev.tether.registry.InstanceRecord;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionFilter;
import dev.tether.registry.SessionRecord;
import dev.tether.registry.TetherHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Looks at a Tether home without changing anything: what the registry records, which supervisor
 * instances are dead, what they left, which marked processes belong to no live session, which
 * session directories no live session owns, and whether the PID file is live or stale. This is
 * the dry run of a cleanup, and what {@code tether ps} reads when no daemon runs.
 */
public final class HomeInspector implements AutoCloseable {
    private final TetherSettings settings;
    private final Optional<Registry> registry;

    private HomeInspector(TetherSettings settings, Optional<Registry> registry) {
        this.settings = settings;
        this.registry = registry;
    }

    /** Opens the home's registry if there is one (nothing is created when there is none). */
    public static HomeInspector open(TetherSettings settings) {
        Path file = TetherHome.registryFile(settings.home());
        return new HomeInspector(settings, Files.exists(file) ? Optional.of(Registry.open(file)) : Optional.empty());
    }

    /** What a cleanup of this home would act on. */
    public record Findings(List<InstanceRecord> deadInstances, List<SessionRecord> leftoverSessions,
                           List<ProcessInfo> orphanProcesses, List<Path> staleDirectories, Optional<Path> stalePidFile) {
        public boolean nothingToDo() {
            return deadInstances.isEmpty() && leftoverSessions.isEmpty() && orphanProcesses.isEmpty()
                    && staleDirectories.isEmpty() && stalePidFile.isEmpty();
        }
    }

    public Optional<Registry> registry() {
        return registry;
    }

    /** Sessions as recorded, newest first ({@code live} only, or all). */
    public List<SessionRecord> sessions(boolean liveOnly) {
        return registry.map(r -> r.sessions(liveOnly ? SessionFilter.live() : SessionFilter.all())).orElse(List.of());
    }

    /** What a recorded live session's processes use now (found by its cgroup, or marker and process group). */
    public ResourceUsage usage(SessionRecord s) {
        if (!s.isLive()) {
            return ResourceUsage.NONE;
        }
        var scope = platform().attachScope(new dev.tether.spi.ScopeKey(s.intent().instanceId(), s.id()), s.intent().cgroup(), s.main());
        return ResourceUsage.of(scope.members(), s.intent().cgroup());
    }

    private static dev.tether.spi.Platform platform() {
        return Platforms.select(Optional.empty());
    }

    public Findings findings(Path pidFile) {
        List<InstanceRecord> dead = new ArrayList<>();
        List<SessionRecord> leftovers = new ArrayList<>();
        registry.ifPresent(r -> {
            for (InstanceRecord i : r.instances(InstanceFilter.notEnded())) {
                if (!i.process().isAlive()) {
                    dead.add(i);
                    leftovers.addAll(r.sessions(SessionFilter.live().ofInstance(i.id())));
                }
            }
        });
        List<ProcessInfo> orphans = new Orphans(platform(), registry).find(id -> false);
        Set<Path> owned = new HashSet<>();
        registry.ifPresent(r -> r.liveSessions().forEach(s -> s.intent().directory().ifPresent(d -> owned.add(d.normalize()))));
        List<Path> staleDirs = new SessionDirectories(settings.sessionsDir()).entries().stream()
                .filter(d -> !owned.contains(d.normalize())).toList();
        Optional<Path> stalePid = Files.exists(pidFile) && PidFile.peek(pidFile).isEmpty() ? Optional.of(pidFile) : Optional.empty();
        return new Findings(dead, leftovers, orphans, staleDirs, stalePid);
    }

    @Override
    public void close() {
        registry.ifPresent(Registry::close);
    }
}
