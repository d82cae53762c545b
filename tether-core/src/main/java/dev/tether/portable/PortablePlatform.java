package dev.tether.portable;

import dev.tether.Containment;
import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.ProcessInfo;
import dev.tether.ProcessSpec;
import dev.tether.Signal;
import dev.tether.SpawnException;
import dev.tether.Stdio;
import dev.tether.internal.Identities;
import dev.tether.linux.ProcFs;
import dev.tether.spi.Platform;
import dev.tether.spi.ScopeKey;
import dev.tether.spi.SessionScope;
import dev.tether.spi.SpawnRequest;
import dev.tether.spi.SpawnedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Anywhere a JVM runs: {@link ProcessBuilder} to spawn, {@link ProcessHandle} to find descendants
 * and signal them with a start-time-checked identity, and the environment marker where
 * {@code /proc} can be read. Limits: only TERM and KILL can be sent; a double-forked daemon is
 * found only through the marker; no subreaper, so orphans' zombies are left to init; a signal
 * exit is reported as exit code 128 + signal, as the JDK reports it.
 */
public final class PortablePlatform implements Platform {

    @Override
    public Containment containment() {
        return Containment.PORTABLE;
    }

    @Override
    public SessionScope createScope(ScopeKey key) {
        return new PortableScope(key);
    }

    @Override
    public SessionScope attachScope(ScopeKey key, Optional<String> cgroup, Optional<ProcessId> main) {
        PortableScope scope = new PortableScope(key);
        main.ifPresent(scope::bind);
        return scope;
    }

    @Override
    public SpawnedProcess spawn(SpawnRequest request) {
        ProcessSpec spec = request.spec();
        List<String> argv = new ArrayList<>(spec.argv());
        argv.set(0, request.executable().toString());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(request.directory().toFile());
        pb.environment().clear();
        pb.environment().putAll(request.environment());
        pb.redirectInput(redirect(spec.stdin(), true));
        pb.redirectOutput(redirect(spec.stdout(), false));
        pb.redirectError(redirect(spec.stderr(), false));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new SpawnException(spec, "the JDK could not start it: " + e.getMessage(), e);
        }
        ProcessId id = Identities.of(p.toHandle())
                .orElseGet(() -> new ProcessId(Identities.bootId(), p.pid(), 0));
        CompletableFuture<Exit> exit = p.onExit().thenApply(done -> new Exit.Exited(done.exitValue() & 0xff));
        return new Spawned(id, exit,
                spec.stdin() instanceof Stdio.Pipe ? Optional.of(p.getOutputStream()) : Optional.empty(),
                spec.stdout() instanceof Stdio.Pipe ? Optional.of(p.getInputStream()) : Optional.empty(),
                spec.stderr() instanceof Stdio.Pipe ? Optional.of(p.getErrorStream()) : Optional.empty());
    }

    private record Spawned(ProcessId id, CompletableFuture<Exit> onExit, Optional<OutputStream> stdin,
                           Optional<InputStream> stdout, Optional<InputStream> stderr) implements SpawnedProcess {}

    private static Redirect redirect(Stdio stdio, boolean input) {
        return switch (stdio) {
            case Stdio.Inherit ignored -> Redirect.INHERIT;
            case Stdio.Discard ignored -> input ? Redirect.from(new java.io.File("/dev/null")) : Redirect.DISCARD;
            case Stdio.File f -> input ? Redirect.from(f.path().toFile())
                    : f.append() ? Redirect.appendTo(f.path().toFile()) : Redirect.to(f.path().toFile());
            case Stdio.Pipe ignored -> Redirect.PIPE;
        };
    }

    @Override
    public boolean signal(ProcessId target, Signal signal) {
        return PortableScope.signalOne(target, signal);
    }

    @Override
    public Optional<ProcessInfo> describe(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> Identities.of(h).map(id -> new ProcessInfo(id,
                h.parent().map(ProcessHandle::pid).orElse(0L),
                h.info().commandLine().orElse(h.info().command().orElse("?")), -1,
                ProcFs.available() ? ProcFs.environValue(pid, ProcessSpec.SESSION_MARKER) : Optional.empty(),
                ProcFs.available() ? ProcFs.environValue(pid, ProcessSpec.INSTANCE_MARKER) : Optional.empty(),
                ProcFs.available() ? ProcFs.environValue(pid, ProcessSpec.SUPERVISOR_MARKER) : Optional.empty())));
    }

    @Override
    public List<ProcessInfo> markedProcesses() {
        if (!ProcFs.available()) {
            return List.of();
        }
        List<ProcessInfo> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (long pid : ProcFs.pids()) {
            if (pid != self && ProcFs.environValue(pid, ProcessSpec.SESSION_MARKER).isPresent()) {
                describe(pid).ifPresent(out::add);
            }
        }
        return out;
    }
}
