package dev.tether.linux;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.SpawnException;
import dev.tether.Stdio;
import dev.tether.TetherException;
import dev.tether.internal.Identities;
import dev.tether.linux.libc.Errno;
import dev.tether.linux.libc.LibC;
import dev.tether.linux.libc.Structs;
import dev.tether.spi.SpawnRequest;
import dev.tether.spi.SpawnedProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

/**
 * Spawns with {@code posix_spawn}: the child leads a new session, starts with an empty signal
 * mask and default dispositions, keeps only descriptors 0-2 ({@code addclosefrom_np(3)}), and
 * gets its directory and stdio from file actions. Into a cgroup it must go before it can fork
 * (moving it after the spawn let 25-56% of grandchildren escape): its file actions hold it before
 * exec while this JVM writes it into the cgroup ({@link HeldSpawns}); where that machinery could
 * not be set up, it is spawned through a gate,
 * {@code /bin/sh -c 'echo $$ > <cgroup.procs> || exit 112; exec "$@"'}.
 */
final class LinuxSpawner {
    /** Exit status of the gate when it cannot enter the session's cgroup. */
    static final int GATE_FAILED_STATUS = 112;
    /** The gate: enters the cgroup whose cgroup.procs is {@code $0}, or exits {@link #GATE_FAILED_STATUS}; then execs {@code "$@"}. */
    static final String GATE_SCRIPT = "echo $$ > \"$0\" || exit " + GATE_FAILED_STATUS + "; exec \"$@\"";
    private static final String GATE_SHELL = "/bin/sh";
    private static final String DEV_NULL = "/dev/null";
    private static final int FILE_MODE = 0644;

    private final ExitWatcher watcher;
    private final OrphanReaper reaper;
    private final Optional<HeldSpawns> held;

    LinuxSpawner(ExitWatcher watcher, OrphanReaper reaper, Optional<HeldSpawns> held) {
        this.watcher = watcher;
        this.reaper = reaper;
        this.held = held;
    }

    /** The directory of held spawns' gates, which the guardian releases when this JVM dies. */
    Optional<Path> heldSpawnsDirectory() {
        return held.map(HeldSpawns::directory);
    }

    SpawnedProcess spawn(SpawnRequest request) {
        List<Integer> parentFds = new ArrayList<>();
        List<Integer> childFds = new ArrayList<>();
        int[] callerEnds = {-1, -1, -1};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(Structs.POSIX_SPAWNATTR_T_SIZE, 16);
            MemorySegment actions = arena.allocate(Structs.POSIX_SPAWN_FILE_ACTIONS_T_SIZE, 16);
            check(LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
            check(LibC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            try {
                MemorySegment empty = arena.allocate(Structs.SIGSET_T_SIZE, 8);
                MemorySegment all = arena.allocate(Structs.SIGSET_T_SIZE, 8);
                LibC.sigemptyset(empty);
                LibC.sigfillset(all);
                check(LibC.posix_spawnattr_setflags(attr, (short) (LibC.POSIX_SPAWN_SETSID
                        | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF)), "posix_spawnattr_setflags");
                check(LibC.posix_spawnattr_setsigmask(attr, empty), "posix_spawnattr_setsigmask");
                check(LibC.posix_spawnattr_setsigdefault(attr, all), "posix_spawnattr_setsigdefault");

                Optional<CgroupScope> cgroup = request.scope() instanceof CgroupScope cg ? Optional.of(cg) : Optional.empty();
                Optional<CgroupScope> gate = held.isPresent() ? Optional.empty() : cgroup;
                List<String> argv = new ArrayList<>();
                String path;
                if (gate.isPresent()) {
                    path = GATE_SHELL;
                    argv.addAll(List.of(GATE_SHELL, "-c", GATE_SCRIPT, gate.get().procsFile().toString(),
                            request.executable().toString()));
                    argv.addAll(request.spec().argv().subList(1, request.spec().argv().size()));
                } else {
                    path = request.executable().toString();
                    argv.addAll(request.spec().argv());
                }
                MemorySegment argvSeg = stringArray(arena, argv);
                MemorySegment envSeg = stringArray(arena, environment(request.environment()));
                MemorySegment pidSeg = arena.allocate(ValueLayout.JAVA_INT);
                MemorySegment pathSeg = arena.allocateFrom(path);

                Stdio[] stdio = {request.spec().stdin(), request.spec().stdout(), request.spec().stderr()};
                for (int fd = 0; fd < 3; fd++) {
                    callerEnds[fd] = addStdio(arena, actions, fd, stdio[fd], parentFds, childFds);
                }
                check(LibC.posix_spawn_file_actions_addchdir_np(actions, arena.allocateFrom(request.directory().toString())),
                        "posix_spawn_file_actions_addchdir_np");
                if (LibC.hasAddclosefromNp()) {
                    // Before a hold: a held child must not keep this JVM's descriptors open, the
                    // guardian's pipe above all (the guardian would never see the JVM die).
                    check(LibC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "posix_spawn_file_actions_addclosefrom_np");
                }
                Optional<HeldSpawns.Hold> hold = held.isPresent() && cgroup.isPresent()
                        ? Optional.of(held.get().hold(arena, actions, cgroup.get().procsFile())) : Optional.empty();
                boolean attempted = false;
                boolean settled = false;
                Lock spawning = reaper.spawnLock();
                try {
                    spawning.lock();
                    attempted = true;
                    hold.ifPresent(HeldSpawns.Hold::spawning);
                    int rc = LibC.posix_spawn(pidSeg, pathSeg, actions, attr, argvSeg, envSeg);
                    settled = true;
                    Optional<String> outside = hold.flatMap(HeldSpawns.Hold::spawned);
                    closeAll(childFds);
                    if (outside.isPresent()) {
                        closeAll(parentFds);
                        if (rc == 0) { // it exec'd although its ticket should have been gone: end it
                            killUnwatched(pidSeg.get(ValueLayout.JAVA_INT, 0));
                        }
                        throw new SpawnException(request.spec(), rc != 0 ? rc : Errno.EPERM, rc != 0 ? Errno.name(rc) : "EPERM",
                                "could not enter its session's cgroup: " + outside.get());
                    }
                    if (rc != 0) {
                        closeAll(parentFds);
                        throw new SpawnException(request.spec(), rc, Errno.name(rc), reason(rc));
                    }
                    long pid = pidSeg.get(ValueLayout.JAVA_INT, 0);
                    reaper.childStarted();
                    return watch(pid, callerEnds);
                } finally {
                    if (attempted) {
                        if (!settled) {
                            hold.ifPresent(HeldSpawns.Hold::spawned); // the downcall threw: end the keeper
                        }
                        spawning.unlock();
                    } else {
                        hold.ifPresent(HeldSpawns.Hold::abandon);
                    }
                }
            } finally {
                LibC.posix_spawn_file_actions_destroy(actions);
                LibC.posix_spawnattr_destroy(attr);
            }
        } catch (RuntimeException e) {
            closeAll(childFds);
            throw e;
        }
    }

    /** Kills and reaps a fresh child of ours that is not watched yet (unreaped, so its pid is still its own). */
    private static void killUnwatched(int pid) {
        LibC.kill(pid, Signal.KILL.number());
        try (Arena arena = Arena.ofConfined()) {
            LibC.waitid(LibC.P_PID, pid, arena.allocate(Structs.SIGINFO_T_SIZE, 8), LibC.WEXITED);
        }
    }

    /** Identity and pidfd of a fresh child: it is ours and unreaped, so its pid cannot have been reused. */
    private SpawnedProcess watch(long pid, int[] callerEnds) {
        long start = ProcFs.stat(pid).map(ProcFs.Stat::startTime)
                .orElseThrow(() -> new TetherException("spawned pid " + pid + " has no /proc entry"));
        ProcessId id = new ProcessId(Identities.bootId(), pid, start);
        int pidfd = Pidfds.open(pid);
        if (pidfd < 0) {
            throw new TetherException("pidfd_open(" + pid + ") failed: " + Errno.name(LibC.errno())
                    + "; Tether needs Linux 5.3 or later for exit notification");
        }
        ReapSignal reaped = new ReapSignal();
        CompletableFuture<Exit> exit = watcher.watch(pid, pidfd, reaped);
        return new Spawned(id, exit, reaped,
                callerEnds[0] >= 0 ? Optional.of(FdStreams.output(callerEnds[0])) : Optional.empty(),
                callerEnds[1] >= 0 ? Optional.of(FdStreams.input(callerEnds[1])) : Optional.empty(),
                callerEnds[2] >= 0 ? Optional.of(FdStreams.input(callerEnds[2])) : Optional.empty());
    }

    private record Spawned(ProcessId id, CompletableFuture<Exit> onExit, ReapSignal reaped, Optional<OutputStream> stdin,
                           Optional<InputStream> stdout, Optional<InputStream> stderr) implements SpawnedProcess {
        @Override
        public void whenReaped(Supplier<Runnable> action) {
            reaped.then(action);
        }
    }

    /** Adds the file action for one standard stream; returns the caller's pipe end, or -1. */
    private static int addStdio(Arena arena, MemorySegment actions, int fd, Stdio stdio,
                                List<Integer> parentFds, List<Integer> childFds) {
        boolean input = fd == 0;
        switch (stdio) {
            case Stdio.Inherit ignored -> {
                return -1;
            }
            case Stdio.Discard ignored -> {
                check(LibC.posix_spawn_file_actions_addopen(actions, fd, arena.allocateFrom(DEV_NULL), LibC.O_RDWR, 0),
                        "posix_spawn_file_actions_addopen");
                return -1;
            }
            case Stdio.File f -> {
                int flags = input ? LibC.O_RDONLY
                        : LibC.O_WRONLY | LibC.O_CREAT | (f.append() ? LibC.O_APPEND : LibC.O_TRUNC);
                check(LibC.posix_spawn_file_actions_addopen(actions, fd, arena.allocateFrom(f.path().toString()), flags, FILE_MODE),
                        "posix_spawn_file_actions_addopen");
                return -1;
            }
            case Stdio.Pipe ignored -> {
                MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
                if (LibC.pipe2(fds, LibC.O_CLOEXEC) < 0) {
                    throw new TetherException("pipe2 failed: " + Errno.name(LibC.errno()));
                }
                int readEnd = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
                int writeEnd = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
                int childEnd = input ? readEnd : writeEnd;
                int callerEnd = input ? writeEnd : readEnd;
                childFds.add(childEnd);
                parentFds.add(callerEnd);
                check(LibC.posix_spawn_file_actions_adddup2(actions, childEnd, fd), "posix_spawn_file_actions_adddup2");
                return callerEnd;
            }
        }
    }

    private static List<String> environment(Map<String, String> env) {
        List<String> out = new ArrayList<>(env.size());
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    private static String reason(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "no such file or directory (the program, its working directory, or a redirect file)";
            case Errno.EACCES -> "permission denied (the program is not executable, or a directory is not searchable)";
            case Errno.ENOEXEC -> "not an executable format (a script needs a #! line)";
            case Errno.ENOTDIR -> "a path component is not a directory";
            default -> LibC.strerror(errno);
        };
    }

    /** Turns a failed {@code posix_spawn*} setup call into an exception naming it. */
    static void check(int rc, String function) {
        if (rc != 0) {
            throw new TetherException(function + " failed: " + Errno.name(rc));
        }
    }

    private static void closeAll(List<Integer> fds) {
        for (int fd : fds) {
            LibC.close(fd);
        }
        fds.clear();
    }
}
