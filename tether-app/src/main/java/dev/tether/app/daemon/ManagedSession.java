package dev.tether.app.daemon;

import dev.tether.Exit;
import dev.tether.Session;
import dev.tether.StopReport;
import dev.tether.client.api.SessionState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * One session as the daemon keeps it: a stable id (its first run's), the plan every run starts
 * from, and its runs — one, or more when its restart policy started it again. The daemon's view of
 * its state is the current run's, except while a restart is due ({@code RESTARTING}) and when the
 * daemon itself ended it between runs or gave up restarting ({@code STOPPED}, {@code FAILED}).
 * All changes go through {@link DaemonSessions}; this class only keeps them consistent.
 */
final class ManagedSession {
    final String id;
    final SessionPlan plan;
    private final List<String> runs = new ArrayList<>();
    private Session current; // guarded by this
    private int restarts; // guarded by this
    private boolean ready; // guarded by this
    private boolean stopRequested; // guarded by this
    private Instant nextRestartAt; // guarded by this
    private Future<?> pendingRestart; // guarded by this
    private SessionState decided; // guarded by this: an end the daemon decided, not the run
    private StopReport lastStop; // guarded by this
    private Instant endedAt; // guarded by this
    private volatile Instant lastActivity;

    ManagedSession(Session first, SessionPlan plan) {
        this.id = first.id();
        this.plan = plan;
        this.current = first;
        this.runs.add(first.id());
        this.lastActivity = first.startedAt();
    }

    synchronized Session current() {
        return current;
    }

    synchronized List<String> runs() {
        return List.copyOf(runs);
    }

    synchronized int restarts() {
        return restarts;
    }

    synchronized Optional<Instant> nextRestartAt() {
        return Optional.ofNullable(nextRestartAt);
    }

    synchronized Optional<StopReport> lastStop() {
        return Optional.ofNullable(lastStop);
    }

    synchronized Optional<Instant> endedAt() {
        return Optional.ofNullable(endedAt);
    }

    /** How the last run's main process ended, once it has. */
    synchronized Optional<Exit> lastExit() {
        return lastStop != null ? Optional.of(lastStop.exit()) : Optional.ofNullable(current.onExit().getNow(null));
    }

    Instant lastActivity() {
        return lastActivity;
    }

    void touch(Instant at) {
        lastActivity = at;
    }

    synchronized SessionState state() {
        if (decided != null) {
            return decided;
        }
        if (nextRestartAt != null) {
            return SessionState.RESTARTING;
        }
        return switch (current.state()) {
            case STARTING -> SessionState.STARTING;
            case RUNNING -> ready ? SessionState.RUNNING : SessionState.STARTING;
            case STOPPING -> SessionState.STOPPING;
            case EXITED -> SessionState.EXITED;
            case STOPPED -> SessionState.STOPPED;
            case LOST -> SessionState.LOST;
            case CULLED -> SessionState.CULLED;
            case FAILED -> SessionState.FAILED;
        };
    }

    synchronized boolean isLive() {
        return !state().isTerminal();
    }

    synchronized boolean stopRequested() {
        return stopRequested;
    }

    synchronized void markReady(Session run) {
        if (run == current) {
            ready = true;
        }
    }

    /**
     * The daemon (a request, a cull, emergency recovery) ends this session: no restart follows.
     *
     * @return the run to stop, if one may still live
     */
    synchronized Optional<Session> requestStop() {
        stopRequested = true;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
        if (nextRestartAt != null) {
            nextRestartAt = null;
            end(SessionState.STOPPED);
            return Optional.empty();
        }
        return current.state().isTerminal() ? Optional.empty() : Optional.of(current);
    }

    /** The current run ended (nothing of it lives); records its stop. */
    synchronized void runEnded(Session run, StopReport report) {
        if (run != current) {
            return;
        }
        lastStop = report;
        if (decided == null && current.state().isTerminal()) {
            endedAt = Instant.now();
        }
    }

    synchronized void restartDue(Instant at, Future<?> scheduled) {
        nextRestartAt = at;
        pendingRestart = scheduled;
        endedAt = null;
    }

    /** A restart may go ahead unless a stop was asked for meanwhile; call under this object's lock with the new run. */
    synchronized boolean restartAllowed() {
        return !stopRequested && decided == null;
    }

    synchronized void attachRun(Session run) {
        current = run;
        runs.add(run.id());
        restarts++;
        ready = false;
        nextRestartAt = null;
        pendingRestart = null;
        endedAt = null;
        lastActivity = run.startedAt();
    }

    /** The daemon decides the end: {@code FAILED} (gave up restarting, or a restart could not spawn) or {@code STOPPED}. */
    synchronized void end(SessionState state) {
        decided = state;
        nextRestartAt = null;
        pendingRestart = null;
        endedAt = Instant.now();
    }
}
