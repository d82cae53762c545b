package dev.tether.junit5;

import dev.tether.Durations;
import dev.tether.Exit;
import dev.tether.Ports;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.StopReason;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of one test class (or one test): started in order, each ready before the next;
 * stopped newest first, once, however often {@link #close()} is called; then checked for
 * anything left behind. JUnit closes it from its {@code ExtensionContext.Store}.
 */
final class ServiceGroup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceGroup.class);
    /** How long a stopped service's port may take to become bindable before it counts as held. */
    private static final Duration PORT_PATIENCE = Duration.ofSeconds(2);
    private static final String TAG = "junit5";

    private final Supervisor supervisor;
    private final List<ServiceSpec> specs;
    private final Path logDirectory;
    private final String owner;
    private final String contextId;
    private final List<RunningService> started = new ArrayList<>(); // guarded by this
    private boolean closed; // guarded by this

    ServiceGroup(Supervisor supervisor, List<ServiceSpec> specs, Path logDirectory, String owner, String contextId) {
        this.supervisor = supervisor;
        this.contextId = contextId;
        this.specs = List.copyOf(specs);
        this.logDirectory = logDirectory;
        this.owner = owner;
    }

    /**
     * Starts every service in declaration order, each ready before the next starts.
     *
     * @throws ServiceStartException when one cannot start or is not ready; everything started is stopped first
     */
    synchronized Services start() {
        Map<String, String> earlierPorts = new LinkedHashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            ServiceSpec spec = specs.get(i);
            Optional<Path> logFile = Optional.empty();
            try {
                ProcessSpec process = prepare(spec, earlierPorts);
                logFile = logOf(process);
                Session session = supervisor.start(process);
                started.add(new RunningService(spec, session, logFile));
                log.debug("{}: service {} started as session {} (pid {})", owner, spec.name(), session.id(), session.pid());
                spec.effectiveProbe().ifPresent(session::awaitReady);
                session.port().ifPresent(p -> earlierPorts.put(spec.portVariable(), Integer.toString(p)));
            } catch (RuntimeException e) {
                List<String> stopped = new ArrayList<>();
                for (RunningService r : started.reversed()) {
                    stopped.add(r.name() + " (" + describe(stopQuietly(r)) + ")");
                }
                throw new ServiceStartException(spec.name(), i + 1, specs.size(), stopped, logFile, e);
            }
        }
        return services();
    }

    /** Whether the JUnit context with this unique id started the group (and so closes it). */
    boolean ownedBy(String uniqueId) {
        return contextId.equals(uniqueId);
    }

    synchronized Services services() {
        return new Services(started);
    }

    /** Services that ended by themselves (crashed, exited), not because they were stopped. */
    synchronized List<ServiceExitedException> endedByThemselves(String when) {
        List<ServiceExitedException> out = new ArrayList<>();
        for (RunningService r : started) {
            Session s = r.session();
            StopReport report = s.onStopped().getNow(null);
            if (s.onExit().isDone() && (report == null || report.reason() == StopReason.MAIN_EXITED)) {
                Exit exit = s.onExit().join();
                out.add(new ServiceExitedException(r.name(), when, exit, r.log(), LogTail.of(r.log())));
            }
        }
        return out;
    }

    /**
     * Stops every service, newest first, each with its grace period; then checks that no process
     * carries their markers and their ports can be bound. Only the first call does anything.
     *
     * @throws ServicesLeftBehindException naming whatever was left
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> failures = new ArrayList<>();
        for (RunningService r : started.reversed()) {
            Optional<StopReport> report = stopQuietly(r);
            if (report.isEmpty() || !report.get().clean()) {
                failures.add(r.name() + ": " + describe(report));
            } else {
                log.debug("{}: service {} stopped: {}", owner, r.name(), report.get());
            }
        }
        checkNothingLeft(failures);
    }

    private void checkNothingLeft(List<String> stopFailures) {
        Map<String, String> sessions = new LinkedHashMap<>();
        started.forEach(r -> sessions.put(r.session().id(), r.name()));
        List<ServicesLeftBehindException.Survivor> survivors = LeftoverCheck.survivors(sessions);
        List<ServicesLeftBehindException.HeldPort> held = new ArrayList<>();
        for (RunningService r : started) {
            r.session().port().ifPresent(port -> {
                if (!LeftoverCheck.bindable(port, PORT_PATIENCE)) {
                    held.add(new ServicesLeftBehindException.HeldPort(r.name(), port, Ports.owners(port)));
                }
            });
        }
        if (survivors.isEmpty() && held.isEmpty() && stopFailures.isEmpty()) {
            if (!started.isEmpty()) {
                log.info("{}: services {} stopped; no process of theirs is left and their ports are free", owner,
                        started.reversed().stream().map(RunningService::name).toList());
            }
            return;
        }
        throw new ServicesLeftBehindException(owner, survivors, held, stopFailures);
    }

    /** The service's spec as started: named after it, quiet stdin, output to its log, earlier ports exported. */
    private ProcessSpec prepare(ServiceSpec spec, Map<String, String> earlierPorts) {
        ProcessSpec p = spec.process();
        ProcessSpec.Builder b = p.toBuilder().name(spec.name()).tag(TAG);
        earlierPorts.forEach((variable, port) -> {
            if (!p.environment().containsKey(variable)) {
                b.env(variable, port);
            }
        });
        if (p.stdin() instanceof Stdio.Inherit) {
            b.stdin(Stdio.discard()); // a forked test JVM's stdin is the build tool's command channel
        }
        boolean stdout = p.stdout() instanceof Stdio.Inherit;
        boolean stderr = p.stderr() instanceof Stdio.Inherit;
        if (stdout || stderr) {
            Path file = logDirectory.resolve(spec.name() + ".log");
            try {
                Files.createDirectories(logDirectory);
                Files.deleteIfExists(file); // both streams append to it, so start it empty
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the log file " + file + " of service " + spec.name(), e);
            }
            if (stdout) {
                b.stdout(Stdio.appendTo(file));
            }
            if (stderr) {
                b.stderr(Stdio.appendTo(file));
            }
        }
        return b.build();
    }

    private static Optional<Path> logOf(ProcessSpec p) {
        if (p.stdout() instanceof Stdio.File f) {
            return Optional.of(f.path());
        }
        return p.stderr() instanceof Stdio.File f ? Optional.of(f.path()) : Optional.empty();
    }

    private Optional<StopReport> stopQuietly(RunningService r) {
        try {
            return Optional.of(r.session().stop());
        } catch (RuntimeException e) {
            log.error("{}: stopping service {} failed", owner, r.name(), e);
            return Optional.empty();
        }
    }

    private static String describe(Optional<StopReport> report) {
        if (report.isEmpty()) {
            return "its stop failed; see the log";
        }
        StopReport r = report.get();
        if (!r.clean()) {
            return r.survivors() + " process(es) survived SIGKILL";
        }
        if (r.reason() == StopReason.MAIN_EXITED) {
            return "had exited: " + r.exit();
        }
        return (r.graceful() ? "stopped" : "killed " + r.killed() + " after the grace period") + " in "
                + Durations.format(r.elapsed());
    }
}
