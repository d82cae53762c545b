package dev.tether.linux;

import dev.tether.ProcessId;
import dev.tether.ProcessSpec;
import dev.tether.Stdio;
import dev.tether.TetherException;
import dev.tether.spi.Guardian;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SpawnRequest;
import dev.tether.spi.SpawnedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guardian as a POSIX {@code sh} process (about 1 MB, no second JVM) in its own session, so a
 * terminal's Ctrl+C or a kill of the supervisor's process group does not reach it. Its stdin is a
 * pipe whose only write end lives in this JVM (close-on-exec, and every spawn closes descriptors
 * above 2): when the JVM dies the guardian reads EOF and kills what is left (see guardian.sh).
 * If the guardian dies, it is respawned and told the live sessions again.
 */
final class GuardianProcess implements Guardian {
    private static final Logger log = LoggerFactory.getLogger(GuardianProcess.class);
    /** Environment variable naming the instance a guardian watches (for diagnostics and tests). */
    static final String GUARDIAN_MARKER = "TETHER_GUARDIAN";
    private static final String SHELL = "/bin/sh";
    /** guardian.sh, run as {@code sh -c SCRIPT tether-guardian INSTANCE CGROUP_OR_DASH MAINS_FILE_OR_DASH}. */
    static final String SCRIPT = loadScript();
    private static final int MAX_RESPAWNS_PER_MINUTE = 10;

    private final String instanceId;
    private final Optional<Path> instanceCgroup;
    private final LinuxSpawner spawner;
    private final OrphanReaper reaper;
    private final Set<ProcessId> mains = new LinkedHashSet<>(); // guarded by this
    private final Optional<MainsFile> mainsFile; // without a cgroup: what the guardian reads once the JVM died
    private SpawnedProcess current; // guarded by this
    private OutputStream pipe; // guarded by this
    private boolean dismissed; // guarded by this
    private long windowStart = System.nanoTime();
    private int respawnsInWindow;

    GuardianProcess(String instanceId, Optional<Path> instanceCgroup, LinuxSpawner spawner, OrphanReaper reaper) {
        this.instanceId = instanceId;
        this.instanceCgroup = instanceCgroup;
        this.spawner = spawner;
        this.reaper = reaper;
        this.mainsFile = instanceCgroup.isEmpty() ? Optional.of(MainsFile.create(instanceId)) : Optional.empty();
        synchronized (this) {
            spawn();
        }
    }

    private void spawn() {
        ProcessSpec spec = ProcessSpec.builder(SHELL, "-c", SCRIPT, "tether-guardian", instanceId,
                        instanceCgroup.map(Path::toString).orElse("-"), mainsFile.map(f -> f.path().toString()).orElse("-"),
                        spawner.heldSpawnsDirectory().map(Path::toString).orElse("-"))
                .name("tether-guardian").stdin(Stdio.pipe()).stdout(Stdio.discard()).stderr(Stdio.discard()).build();
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", GUARDIAN_MARKER, instanceId);
        SpawnedProcess p = spawner.spawn(new SpawnRequest(spec, Path.of(SHELL), env, Path.of("/"),
                new MarkerScope(new ScopeKey(instanceId, "guardian"), reaper, false)));
        current = p;
        pipe = p.stdin().orElseThrow();
        p.onExit().whenComplete((exit, error) -> exited(p));
        log.debug("guardian of {} is pid {}", instanceId, p.id().pid());
    }

    private synchronized void exited(SpawnedProcess p) {
        if (dismissed || p != current) {
            return;
        }
        long now = System.nanoTime();
        if (now - windowStart > Duration.ofMinutes(1).toNanos()) {
            windowStart = now;
            respawnsInWindow = 0;
        }
        if (++respawnsInWindow > MAX_RESPAWNS_PER_MINUTE) {
            log.error("guardian of supervisor {} keeps dying; not respawning it (a SIGKILL of the supervisor"
                    + " will now be cleaned up only by reconciliation)", instanceId);
            current = null;
            return;
        }
        log.warn("guardian of supervisor {} (pid {}) died; respawning it", instanceId, p.id().pid());
        closePipe();
        try {
            spawn();
        } catch (TetherException e) {
            log.error("cannot respawn the guardian of supervisor {}", instanceId, e);
            current = null;
        }
    }

    /**
     * With a cgroup the guardian needs no list of mains: the instance cgroup's {@code cgroup.kill}
     * takes every session, and a main still in its gate carries the instance marker. Without one,
     * the mains go to the {@link MainsFile}, which the guardian reads only after the JVM died (a
     * respawned guardian reads the same file).
     */
    @Override
    public synchronized void track(ProcessId main) {
        if (mainsFile.isPresent() && mains.add(main)) {
            mainsFile.get().added(main);
        }
    }

    @Override
    public synchronized void untrack(ProcessId main) {
        if (mainsFile.isPresent() && mains.remove(main)) {
            mainsFile.get().removed(main, mains);
        }
    }

    @Override
    public synchronized Optional<ProcessId> process() {
        return current == null || current.onExit().isDone() ? Optional.empty() : Optional.of(current.id());
    }

    @Override
    public synchronized void dismiss() {
        if (dismissed) {
            return;
        }
        dismissed = true;
        send("exit");
        closePipe();
        mainsFile.ifPresent(MainsFile::close);
    }

    private void send(String line) {
        if (pipe == null) {
            return;
        }
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            log.debug("guardian pipe closed ({}); it will be respawned", e.getMessage());
        }
    }

    private void closePipe() {
        if (pipe != null) {
            try {
                pipe.close();
            } catch (IOException e) {
                // already closed
            }
            pipe = null;
        }
    }

    private static String loadScript() {
        try (InputStream in = GuardianProcess.class.getResourceAsStream("guardian.sh")) {
            if (in == null) {
                throw new IllegalStateException("guardian.sh missing from the tether-core jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read guardian.sh", e);
        }
    }
}
