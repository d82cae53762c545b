package dev.tether;

import dev.tether.internal.Readiness;
import dev.tether.internal.StopAlgorithm;
import dev.tether.spi.Platform;
import dev.tether.spi.SessionScope;
import dev.tether.spi.SpawnedProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised process tree: a main process and everything it starts.
 *
 * <p>Guarantee: when the session is stopped, or its main process exits, every member is sent the
 * stop signal, given the grace period, then killed, until nothing of it lives; only then does it
 * reach a terminal {@link SessionState}. Members are found by the supervisor's
 * {@link Containment} level, and only processes of this session are ever signalled.
 * Limit: what the containment level cannot see (see {@link Containment}) is not stopped.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final Duration EXIT_STATUS_WAIT = Duration.ofSeconds(5);

    private final String id;
    private final ProcessSpec spec;
    private final Platform platform;
    private final SessionScope scope;
    private final SpawnedProcess process;
    private final Instant startedAt = Instant.now();
    private final BiConsumer<Session, StopReport> onEnded;
    private final OptionalInt port;
    private final Optional<Path> directory;
    private final AtomicReference<SessionState> state = new AtomicReference<>(SessionState.RUNNING);
    private final CompletableFuture<StopReport> stopped = new CompletableFuture<>();
    private final Object stopLock = new Object();
    private StopRun current; // guarded by stopLock

    private record StopRun(StopReason reason, StopAlgorithm.Deadline deadline, CompletableFuture<StopReport> result) {}

    Session(String id, ProcessSpec spec, Platform platform, SessionScope scope, SpawnedProcess process,
            OptionalInt port, Optional<Path> directory, BiConsumer<Session, StopReport> onEnded) {
        this.id = id;
        this.port = port;
        this.directory = directory;
        this.spec = spec;
        this.platform = platform;
        this.scope = scope;
        this.process = process;
        this.onEnded = onEnded;
        process.whenReaped(this::stopAfterReap);
    }

    /** The session id, also the value of {@code TETHER_SESSION} in every member's environment. */
    public String id() {
        return id;
    }

    public String name() {
        return spec.name();
    }

    public ProcessSpec spec() {
        return spec;
    }

    /** The main process's pid. */
    public long pid() {
        return process.id().pid();
    }

    /** The main process's identity. */
    public ProcessId processId() {
        return process.id();
    }

    public SessionState state() {
        return state.get();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The port allocated to the session (exported to it), if it asked for one. */
    public OptionalInt port() {
        return port;
    }

    /** The session's own directory (exported as {@code TETHER_SESSION_DIR}), if it asked for one; removed after the stop. */
    public Optional<Path> directory() {
        return directory;
    }

    /** How members are found: the cgroup path, or the marker and process group. */
    public String containment() {
        return scope.describe();
    }

    /** The session's cgroup, when it has one. */
    public Optional<String> cgroup() {
        return scope.cgroup();
    }

    /** Completes when the main process has exited (its tree may still be being stopped). */
    public CompletableFuture<Exit> onExit() {
        return process.onExit().exceptionally(e -> new Exit.Unknown(rootMessage(e))).copy();
    }

    /** Completes when nothing of the session lives any more, with what the stop did. */
    public CompletableFuture<StopReport> onStopped() {
        return stopped.copy();
    }

    /** The members alive now: the main process and every descendant the containment level sees. */
    public List<ProcessInfo> members() {
        return scope.members().stream().map(pid -> platform.describe(pid.pid())
                .filter(info -> info.id().equals(pid))).flatMap(Optional::stream).toList();
    }

    /**
     * Waits until the probe passes.
     *
     * @throws NotReadyException if it times out or the main process ends first (with the log tail);
     *                           the session is left running: stop it if it is of no use
     */
    public Session awaitReady(ReadinessProbe probe) {
        Readiness.await(this, probe);
        return this;
    }

    /** What the session's processes use now: CPU time so far (from its cgroup when it has one) and resident memory. */
    public ResourceUsage usage() {
        return ResourceUsage.of(scope.members(), scope.cgroup());
    }

    /** Stops the session with its policy's grace period; returns once nothing of it lives. */
    public StopReport stop() {
        return stop(spec.stopPolicy().grace());
    }

    /**
     * Stops the session: the stop signal to every member, up to {@code grace} for them to exit,
     * then SIGKILL until nothing is left. If a stop is already running, its grace is shortened to
     * at most {@code grace} and its report returned. Idempotent: a stopped session returns its report.
     */
    public StopReport stop(Duration grace) {
        return join(stopAsync(grace));
    }

    /** Stops the session without a grace period: SIGKILL to every member at once. */
    public StopReport kill() {
        return stop(Duration.ZERO);
    }

    /** {@link #stop(Duration)} without waiting. */
    public CompletableFuture<StopReport> stopAsync(Duration grace) {
        return beginStop(grace, StopReason.REQUESTED);
    }

    /**
     * {@link #stopAsync(Duration)} for a stated reason, which decides the terminal state:
     * {@link StopReason#IDLE} ends it {@link SessionState#CULLED}, {@link StopReason#NOT_READY}
     * {@link SessionState#FAILED}, any other request {@link SessionState#STOPPED}. If a stop is
     * already running, the first reason stands.
     */
    public CompletableFuture<StopReport> stopAsync(Duration grace, StopReason reason) {
        return beginStop(grace, reason);
    }

    /** The caller's end of the stdin pipe. */
    public OutputStream stdin() {
        return process.stdin().orElseThrow(() -> notAPipe("stdin"));
    }

    /** The caller's end of the stdout pipe. */
    public InputStream stdout() {
        return process.stdout().orElseThrow(() -> notAPipe("stdout"));
    }

    /** The caller's end of the stderr pipe. */
    public InputStream stderr() {
        return process.stderr().orElseThrow(() -> notAPipe("stderr"));
    }

    CompletableFuture<StopReport> beginStop(Duration grace, StopReason reason) {
        Claim claim = claim(grace, reason);
        if (claim.run() != null) {
            Thread.ofVirtual().name("tether-stop-" + id).start(() -> execute(claim.run()));
        }
        return claim.result();
    }

    /**
     * The main process was reaped: the session turns STOPPING before its exit future completes,
     * and the stop then runs on the thread that completed it (see {@link SpawnedProcess#whenReaped}).
     */
    private Runnable stopAfterReap() {
        Claim claim = claim(spec.stopPolicy().grace(), StopReason.MAIN_EXITED);
        return claim.run() == null ? () -> { } : () -> execute(claim.run());
    }

    /** A stop to run ({@code run}, null if one already ran or runs) and the report the caller gets. */
    private record Claim(StopRun run, CompletableFuture<StopReport> result) {}

    /** Starts a stop unless one is under way (whose grace shrinks to at most {@code grace}) or done. */
    private Claim claim(Duration grace, StopReason reason) {
        synchronized (stopLock) {
            if (stopped.isDone()) {
                return new Claim(null, stopped.copy());
            }
            if (current != null) {
                current.deadline().expireWithin(grace);
                return new Claim(null, current.result().copy());
            }
            StopRun run = new StopRun(reason, new StopAlgorithm.Deadline(grace), new CompletableFuture<>());
            current = run;
            state.set(SessionState.STOPPING);
            return new Claim(run, run.result().copy());
        }
    }

    private void execute(StopRun run) {
        StopReport report;
        try {
            StopAlgorithm.Outcome o = StopAlgorithm.run(scope, spec.stopPolicy().signal(), run.deadline());
            Exit exit = o.survivors() == 0 ? awaitExit() : process.onExit().getNow(null);
            report = new StopReport(exit != null ? exit : new Exit.Unknown("main process still running"),
                    o.signalled(), o.killed(), o.survivors(), o.elapsed(), run.reason());
        } catch (RuntimeException e) {
            log.error("stopping session {} failed", id, e);
            synchronized (stopLock) {
                current = null;
            }
            run.result().completeExceptionally(e);
            return;
        }
        if (!report.clean()) {
            log.error("session {} ({}): {} process(es) survived SIGKILL; state stays STOPPING, stop() again to retry",
                    id, spec.name(), report.survivors());
            synchronized (stopLock) {
                current = null;
            }
            run.result().complete(report);
            return;
        }
        scope.release();
        state.set(endState(run.reason()));
        log.debug("session {} ({}) {}: {}", id, spec.name(), state.get(), report);
        try {
            onEnded.accept(this, report); // bookkeeping first: whoever waits on the stop sees it recorded
        } catch (RuntimeException e) {
            log.error("session {}: recording its end failed", id, e);
        }
        stopped.complete(report);
        run.result().complete(report);
    }

    private static SessionState endState(StopReason reason) {
        return switch (reason) {
            case MAIN_EXITED -> SessionState.EXITED;
            case IDLE -> SessionState.CULLED;
            case NOT_READY -> SessionState.FAILED;
            case SUPERVISOR_DIED -> SessionState.LOST;
            case REQUESTED, SUPERVISOR_CLOSED -> SessionState.STOPPED;
        };
    }

    private Exit awaitExit() {
        try {
            return process.onExit().get(EXIT_STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new Exit.Unknown(rootMessage(e));
        } catch (TimeoutException e) {
            return new Exit.Unknown("main process gone but its exit was not reported within " + EXIT_STATUS_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exit.Unknown("interrupted while waiting for the exit status");
        }
    }

    private static StopReport join(CompletableFuture<StopReport> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private IllegalStateException notAPipe(String stream) {
        return new IllegalStateException(stream + " of session " + id + " is not a pipe: build the spec with ."
                + stream + "(Stdio.pipe())");
    }

    @Override
    public String toString() {
        return "Session[" + id + " " + spec.name() + " pid " + pid() + " " + state.get() + "]";
    }
}
