package dev.tether.internal;

import dev.tether.Exit;
import dev.tether.ProcessInfo;
import dev.tether.ReconcileReport;
import dev.tether.SessionState;
import dev.tether.Signal;
import dev.tether.StopReason;
import dev.tether.registry.InstanceFilter;
import dev.tether.registry.InstanceRecord;
import dev.tether.registry.PrunedRows;
import dev.tether.registry.Registry;
import dev.tether.registry.SessionFilter;
import dev.tether.registry.SessionRecord;
import dev.tether.registry.StopFindings;
import dev.tether.spi.Platform;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the registry match reality. For every supervisor instance recorded as running whose
 * process is dead: its live sessions are stopped by the one stop algorithm (cgroup, or marker
 * and process group, identity-checked), their directories removed, their ports released, their
 * rows closed as {@link SessionState#LOST} with what the stop found; marked processes of that
 * instance that no row names are stopped too; whatever is still in its cgroup then (a spawn it
 * had in flight when it died enters its session's cgroup late) is killed, the cgroup removed and
 * its row closed. Live instances (this one and others on the same home) are never touched,
 * except that this instance's rows that claim a session it no longer runs are corrected. Stale
 * session directories are swept. Last, ended rows beyond the {@link Retention} are pruned.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final Registry registry;
    private final Platform platform;
    private final SessionDirectories directories;
    private final String selfInstance;
    private final Duration grace;
    private final Retention retention;

    /** How much of what has ended the registry keeps: rows ended within {@code keepFor}, at most {@code keepAtMost}. */
    public record Retention(Duration keepFor, int keepAtMost) {}

    public Reconciler(Registry registry, Platform platform, SessionDirectories directories, String selfInstance,
                      Duration grace, Retention retention) {
        this.registry = registry;
        this.platform = platform;
        this.directories = directories;
        this.selfInstance = selfInstance;
        this.grace = grace;
        this.retention = retention;
    }

    /**
     * @param runningHere whether this instance still runs a session (by id), for correcting its own rows
     */
    public ReconcileReport reconcile(Predicate<String> runningHere) {
        long t0 = System.nanoTime();
        Counts c = new Counts();
        List<Path> dirsBefore = directories.entries(); // listed before rows are read: see sweepDirectories
        for (InstanceRecord instance : registry.instances(InstanceFilter.notEnded())) {
            if (instance.id().equals(selfInstance)) {
                correctOwnRows(runningHere, c);
            } else if (!instance.process().isAlive()) {
                closeDeadInstance(instance, c);
            }
        }
        sweepDirectories(dirsBefore, c);
        PrunedRows pruned = registry.pruneEnded(endedBefore(Instant.now(), retention.keepFor()), retention.keepAtMost());
        ReconcileReport report = new ReconcileReport(c.instances, c.sessions, c.processes, c.rows, c.dirs, c.ports, c.cgroups,
                pruned.sessions() + pruned.instances(), Duration.ofNanos(System.nanoTime() - t0));
        if (!report.nothingFound()) {
            log.info("reconciliation: {}", report);
        }
        return report;
    }

    /** {@code now - keepFor}, or the earliest instant when that lies before it (a retention of centuries). */
    static Instant endedBefore(Instant now, Duration keepFor) {
        try {
            return now.minus(keepFor);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MIN;
        }
    }

    private static final class Counts {
        int instances;
        int sessions;
        int processes;
        int rows;
        int dirs;
        int ports;
        int cgroups;
    }

    private void closeDeadInstance(InstanceRecord instance, Counts c) {
        List<SessionRecord> live = registry.sessions(SessionFilter.live().ofInstance(instance.id()));
        for (SessionRecord s : live) {
            stopLost(instance.id(), s, c);
        }
        // Marked processes of the dead instance that no row names (e.g. a row lost to a crash).
        Set<String> known = new HashSet<>();
        live.forEach(s -> known.add(s.id()));
        for (ProcessInfo p : platform.markedProcesses()) {
            if (p.instance().filter(instance.id()::equals).isPresent() && p.session().isPresent()
                    && !known.contains(p.session().get())) {
                SessionScope scope = platform.attachScope(new ScopeKey(instance.id(), p.session().get()), Optional.empty(), Optional.empty());
                StopAlgorithm.Outcome o = StopAlgorithm.run(scope, Signal.TERM, new StopAlgorithm.Deadline(grace));
                c.processes += Math.max(o.signalled(), o.killed());
                known.add(p.session().get());
            }
        }
        if (platform.releaseDeadInstance(instance.id())) {
            c.cgroups++;
        }
        registry.markInstanceEnded(instance.id(), Instant.now());
        c.instances++;
    }

    private void stopLost(String instanceId, SessionRecord s, Counts c) {
        SessionScope scope = platform.attachScope(new ScopeKey(instanceId, s.id()), s.intent().cgroup(), s.main());
        StopAlgorithm.Outcome o = StopAlgorithm.run(scope, Signal.TERM, new StopAlgorithm.Deadline(grace));
        if (o.survivors() == 0) {
            scope.release();
        }
        c.processes += Math.max(o.signalled(), o.killed());
        removeDirectory(s, c);
        c.ports += s.intent().port().isPresent() ? 1 : 0;
        Exit exit = new Exit.Unknown("its supervisor " + instanceId + " died; found by reconciliation");
        registry.markSessionEnded(s.id(), SessionState.LOST, Optional.of(exit),
                Optional.of(new StopFindings(o.signalled(), o.killed(), o.survivors(), o.elapsed(), StopReason.SUPERVISOR_DIED)),
                Instant.now());
        c.sessions++;
    }

    /** Rows of this instance that say live although it no longer runs that session. */
    private void correctOwnRows(Predicate<String> runningHere, Counts c) {
        for (SessionRecord s : registry.sessions(SessionFilter.live().ofInstance(selfInstance))) {
            if (s.state() == SessionState.STARTING || runningHere.test(s.id())) {
                continue; // a start in progress, or really running
            }
            SessionScope scope = platform.attachScope(new ScopeKey(selfInstance, s.id()), s.intent().cgroup(), s.main());
            StopAlgorithm.Outcome o = StopAlgorithm.run(scope, Signal.TERM, new StopAlgorithm.Deadline(grace));
            c.processes += Math.max(o.signalled(), o.killed());
            removeDirectory(s, c);
            registry.markSessionEnded(s.id(), SessionState.EXITED, Optional.of(new Exit.Unknown("ended unrecorded")),
                    Optional.of(new StopFindings(o.signalled(), o.killed(), o.survivors(), o.elapsed(), StopReason.MAIN_EXITED)),
                    Instant.now());
            c.rows++;
        }
    }

    private void removeDirectory(SessionRecord s, Counts c) {
        Optional<Path> dir = s.intent().directory();
        if (dir.isPresent() && dir.get().startsWith(directories.base()) && java.nio.file.Files.exists(dir.get())) {
            directories.remove(dir.get());
            c.dirs++;
        }
    }

    /**
     * Directories under the sessions base that no live session owns. Listed before the rows are
     * read: a start records its intent before creating its directory, so a directory seen in the
     * listing has its row in the read that follows unless that session has ended.
     */
    private void sweepDirectories(List<Path> listed, Counts c) {
        Set<Path> owned = new HashSet<>();
        for (SessionRecord s : registry.liveSessions()) {
            s.intent().directory().ifPresent(d -> owned.add(d.toAbsolutePath().normalize()));
        }
        for (Path d : listed) {
            if (!owned.contains(d.toAbsolutePath().normalize()) && java.nio.file.Files.exists(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                directories.remove(d);
                c.dirs++;
            }
        }
    }
}
