package dev.tether.linux;

import dev.tether.TetherException;
import dev.tether.linux.libc.Errno;
import dev.tether.linux.libc.LibC;
import dev.tether.linux.libc.Structs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@code posix_spawn} child into its session's cgroup before it can run anything, without
 * a gate program: the child's own file actions hold it, before exec, until this JVM has written
 * it into {@code cgroup.procs}; then it execs the command itself. (The gate shell this replaces
 * cost a shell start-up and a second exec per spawn, about 0.6 ms here.)
 *
 * <p>Each gate is three names in a private (0700) directory: {@code N.arrive} and
 * {@code N-K.hold} are FIFOs, {@code N.ticket} a plain file; {@code arrive} and the ticket are
 * pooled, each spawn gets a {@code hold} of its own (see {@link #take()}). The child's file
 * actions, after its stdio and directory are set and every other descriptor is closed (a held
 * child must not keep the guardian's pipe open, or the guardian would never learn that the JVM
 * died): open {@code arrive} for writing and close it (a reader opened here before the spawn then
 * sees {@code POLLHUP}: the child exists and is past it); open {@code hold} for reading, which
 * blocks until a writer opens it; open {@code ticket}, which fails, so the child exits 127 without
 * exec'ing, when the ticket has been removed. A keeper thread (a platform thread: a caller pinned
 * in {@code posix_spawn} must not be able to starve it) waits for {@code arrive}, finds the child
 * among the spawning thread's children (the one that still shares this JVM's address space, which
 * only a child that has not exec'd does), writes it into the cgroup, and opens {@code hold} for
 * writing, which releases it. If the cgroup cannot take it, the keeper removes the ticket first,
 * so the child fails instead of running outside.
 *
 * <p>When the JVM dies with a child held, its guardian removes every ticket, then opens every FIFO
 * (releasing the held children, which then fail at their ticket), until its sweep is quiet.
 * Limit: if the JVM and its guardian are both killed while a child is held, the child stays
 * blocked in {@code open(2)} (it has run no code of the command); {@link #releaseAbandoned()}
 * frees such children of dead JVMs when a later supervisor starts.
 */
final class HeldSpawns {
    private static final Logger log = LoggerFactory.getLogger(HeldSpawns.class);
    /** The file in each gate directory that its JVM keeps locked while it lives. */
    static final String OWNER_LOCK = "owner.lock";
    /** The private directory's name: prefix, then this JVM's pid and start time, then a random part. */
    static final String DIRECTORY_PREFIX = "tether-spawns-";
    private static final int POLL_MILLIS = 20;
    private static final int SPINS_BEFORE_PARKING = 2_000;
    private static final long PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int CHILD_FD = 3;
    private static final int ABANDONED_PASSES = 10;
    private static final Duration ABANDONED_PAUSE = Duration.ofMillis(10);
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /**
     * This JVM's own gate directory, which {@link #releaseAbandoned()} must never open: closing any
     * descriptor of its lock file would drop this JVM's lock on it (POSIX record locks).
     */
    private static volatile Path ownDirectory;

    private final Path dir;
    private final ExitWatcher watcher;
    /** Open, and locked, for this JVM's whole life (replaced only if the directory was removed). */
    @SuppressWarnings("unused")
    private FileChannel owner; // guarded by this
    private final AtomicInteger gates = new AtomicInteger();
    private final AtomicLong holds = new AtomicLong();
    /** Gates not in use, without a hold (each spawn gets a fresh one). */
    private final ConcurrentLinkedDeque<Gate> free = new ConcurrentLinkedDeque<>();
    private final ExecutorService keepers = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("tether-spawn-keeper-", 0).factory());

    private record Gate(Path arrive, Path hold, Path ticket) {}

    private HeldSpawns(Path dir, ExitWatcher watcher, FileChannel owner) {
        this.dir = dir;
        this.watcher = watcher;
        this.owner = owner;
    }

    /**
     * The held spawns of this JVM, in a new private directory named after this process's identity,
     * holding a lock on its {@link #OWNER_LOCK} file for as long as it lives (how a later JVM tells
     * a dead JVM's directory from a live one's, even from another pid namespace sharing the
     * directory); empty, logged, when it cannot be made.
     */
    static Optional<HeldSpawns> create(ExitWatcher watcher) {
        try {
            ProcessHandle self = ProcessHandle.current();
            long start = ProcFs.stat(self.pid()).map(ProcFs.Stat::startTime).orElse(0L);
            Path dir = Files.createTempDirectory(base(), DIRECTORY_PREFIX + self.pid() + "-" + start + "-",
                    PRIVATE_DIRECTORY);
            HeldSpawns held = new HeldSpawns(dir, watcher, lockOwner(dir));
            ownDirectory = dir;
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tether-held-spawns-cleanup")
                    .unstarted(() -> removeAll(dir)));
            return Optional.of(held);
        } catch (IOException | UnsupportedOperationException e) {
            log.info("cannot create a directory for held spawns ({}); cgroup spawns go through the /bin/sh gate", e.getMessage());
            return Optional.empty();
        }
    }

    private static FileChannel lockOwner(Path dir) throws IOException {
        Path lock = dir.resolve(OWNER_LOCK);
        FileChannel owner = FileChannel.open(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        owner.lock(); // never released: the JVM's death releases it (the channel is never closed)
        return owner;
    }

    /** The directory is gone: drop the gates and make it again, with its owner lock. */
    private synchronized void rebuild() {
        if (Files.isDirectory(dir)) {
            return; // another spawn rebuilt it
        }
        free.clear();
        try {
            Files.createDirectory(dir, PRIVATE_DIRECTORY);
            owner = lockOwner(dir);
            log.warn("the held spawns' directory {} was removed under this JVM; made it again", dir);
        } catch (IOException e) {
            throw new TetherException("cannot make the held spawns' directory " + dir + " again: " + e.getMessage(), e);
        }
    }

    /** Removes a gate directory and what is in it (at this JVM's exit, or a dead JVM's), quietly. */
    private static void removeAll(Path d) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(d);
        } catch (IOException e) {
            log.debug("cannot remove the spawn gates in {}: {}", d, e.getMessage());
        }
    }

    /** Where the gates are: the guardian releases them when this JVM dies. */
    Path directory() {
        return dir;
    }

    /**
     * Adds the hold's file actions (call after the stdio, directory and {@code closefrom}
     * actions) and opens the arrival FIFO's read end; then call {@link Hold#spawning()}
     * right before {@code posix_spawn} and {@link Hold#spawned()} right after it, or
     * {@link Hold#abandon()} if the spawn is not attempted.
     */
    Hold hold(Arena arena, MemorySegment actions, Path procsFile) {
        Gate gate;
        try {
            gate = take();
        } catch (TetherException e) {
            if (Files.isDirectory(dir)) {
                throw e;
            }
            rebuild(); // removed under this JVM (a /tmp cleaner, by age): make the directory again
            gate = take();
        }
        int arriveFd = LibC.open(arena.allocateFrom(gate.arrive().toString()), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (arriveFd < 0 && LibC.errno() == Errno.ENOENT) {
            // Its files were removed under this JVM: forget the pooled gates, make a new one.
            free.clear();
            deleteQuietly(gate.hold());
            gate = take();
            arriveFd = LibC.open(arena.allocateFrom(gate.arrive().toString()), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        }
        if (arriveFd < 0) {
            int err = LibC.errno();
            throw new TetherException("cannot open spawn gate " + gate.arrive() + ": " + Errno.name(err));
        }
        try {
            addOpen(arena, actions, gate.arrive(), LibC.O_WRONLY);
            LinuxSpawner.check(LibC.posix_spawn_file_actions_addclose(actions, CHILD_FD), "posix_spawn_file_actions_addclose");
            addOpen(arena, actions, gate.hold(), LibC.O_RDONLY);
            addOpen(arena, actions, gate.ticket(), LibC.O_RDONLY);
            LinuxSpawner.check(LibC.posix_spawn_file_actions_addclose(actions, CHILD_FD), "posix_spawn_file_actions_addclose");
        } catch (RuntimeException e) {
            LibC.close(arriveFd);
            discard(gate);
            throw e;
        }
        return new Hold(gate, arriveFd, procsFile);
    }

    /** One spawn's hold: the keeper's side and the spawning thread's. */
    final class Hold {
        private final Gate gate;
        private final int arriveFd;
        private final Path procsFile;
        private final CompletableFuture<Void> kept = new CompletableFuture<>();
        private volatile long tid = -1;
        private volatile boolean ended;
        private volatile String failure;

        private Hold(Gate gate, int arriveFd, Path procsFile) {
            this.gate = gate;
            this.arriveFd = arriveFd;
            this.procsFile = procsFile;
        }

        /** Starts the keeper, then notes the calling thread: the child will be its child. */
        void spawning() {
            keepers.execute(this::keep);
            tid = LibC.gettid(); // last before the downcall: a virtual caller cannot move carriers in between
        }

        /**
         * {@code posix_spawn} returned: waits for the keeper and gives the gate back.
         *
         * @return why the child could not be put in its cgroup (it then exited 127 before exec), if so
         */
        Optional<String> spawned() {
            ended = true;
            while (!kept.isDone()) {
                // The spawn ended without its child passing the gate (it failed before, or the child
                // died in it): end whichever wait the keeper is in, until it has finished.
                wakeKeeper();
                try {
                    kept.get(1, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // not yet: wake it again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    kept.join();
                } catch (java.util.concurrent.ExecutionException e) {
                    break;
                }
            }
            discard(gate);
            return Optional.ofNullable(failure);
        }

        /** The spawn was not attempted: the gate goes back unused. */
        void abandon() {
            LibC.close(arriveFd);
            discard(gate);
        }

        /** Ends the keeper's wait for arrival (a writer comes and goes) or for release (a reader comes and goes). */
        private void wakeKeeper() {
            try (Arena arena = Arena.ofConfined()) {
                int fd = LibC.open(arena.allocateFrom(gate.arrive().toString()), LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
                if (fd >= 0) {
                    LibC.close(fd);
                }
                fd = LibC.open(arena.allocateFrom(gate.hold().toString()), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
                if (fd >= 0) {
                    LibC.close(fd);
                }
            }
        }

        private void keep() {
            try (Arena arena = Arena.ofConfined()) {
                if (!awaitArrival(arena)) {
                    return; // posix_spawn ended before its child reached the gate
                }
                long pid = -1;
                try {
                    pid = findChild();
                    if (pid > 0) {
                        Cgroups.write(procsFile, Long.toString(pid));
                    }
                } catch (IOException | RuntimeException e) {
                    fail(pid > 0 ? "cannot write the child into " + procsFile + ": " + e.getMessage()
                            : "cannot find the held child: " + e);
                }
                if (pid > 0 || !ended) {
                    release(arena); // (a child not found while the spawn goes on fails at its missing ticket)
                } // else the spawn ended without a child to release
            } catch (Throwable t) {
                fail("the spawn keeper failed: " + t);
                log.error("spawn keeper failed; the held child is released to fail at its ticket", t);
                try (Arena arena = Arena.ofConfined()) {
                    release(arena);
                }
            } finally {
                LibC.close(arriveFd);
                kept.complete(null);
            }
        }

        /** Waits until the child has opened and closed {@code arrive}; false if the spawn ended first. */
        private boolean awaitArrival(Arena arena) {
            MemorySegment pfd = arena.allocate(Structs.POLLFD_SIZE, 4);
            pfd.set(ValueLayout.JAVA_INT, Structs.POLLFD_FD, arriveFd);
            pfd.set(ValueLayout.JAVA_SHORT, Structs.POLLFD_EVENTS, (short) 0);
            while (!ended) {
                pfd.set(ValueLayout.JAVA_SHORT, Structs.POLLFD_REVENTS, (short) 0);
                int rc = LibC.poll(pfd, 1, POLL_MILLIS);
                if (rc > 0 && (pfd.get(ValueLayout.JAVA_SHORT, Structs.POLLFD_REVENTS) & LibC.POLLHUP) != 0) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The held child: a child of the spawning thread, not yet watched, that still shares this
         * JVM's address space. Only one such child per thread can exist (posix_spawn returns only
         * after its child exec'd or died). Should the thread be another (a virtual caller that
         * moved carriers), the only such child among all of this JVM's threads' children, once it is
         * the only one (others in flight exec soon). -1 once the spawn has ended without it.
         */
        private long findChild() {
            int spins = 0;
            while (true) {
                for (long pid : ProcFs.taskChildren(tid).orElse(List.of())) {
                    if (!watcher.isWatched(pid) && ProcFs.sharesAddressSpaceWithSelf(pid)) {
                        return pid;
                    }
                }
                long only = -1;
                int candidates = 0;
                for (long pid : ProcFs.ownChildren()) {
                    if (!watcher.isWatched(pid) && ProcFs.sharesAddressSpaceWithSelf(pid)) {
                        only = pid;
                        candidates++;
                    }
                }
                if (candidates == 1) {
                    return only; // the held child is always among them: alone, it is the one
                }
                if (ended) {
                    return -1;
                }
                spins = pause(spins);
            }
        }

        /**
         * Opens {@code hold} for writing, which blocks until the child opens it for reading and
         * then releases it. Should the child die before it gets there, {@link #spawned()} opens
         * {@code hold} for reading itself, which ends this wait.
         */
        private void release(Arena arena) {
            MemorySegment path = arena.allocateFrom(gate.hold().toString());
            while (true) {
                int fd = LibC.open(path, LibC.O_WRONLY | LibC.O_CLOEXEC, 0);
                if (fd >= 0) {
                    LibC.close(fd);
                    return;
                }
                int err = LibC.errno();
                if (err != Errno.EINTR) {
                    fail("cannot release the held child through " + gate.hold() + ": " + Errno.name(err));
                    return;
                }
            }
        }

        private void fail(String why) {
            if (failure == null) {
                failure = why;
            }
            try {
                Files.deleteIfExists(gate.ticket()); // before the release: the child must fail, not run outside
            } catch (IOException e) {
                log.error("cannot remove spawn ticket {}: {}", gate.ticket(), e.getMessage());
            }
        }
    }

    /**
     * Frees the children that dead JVMs left held (when they and their guardians were killed
     * together): in each of this user's gate directories whose JVM is gone (nothing holds the lock
     * on its {@link #OWNER_LOCK} any more), removes the tickets and
     * opens every FIFO, {@link #ABANDONED_PASSES} times {@link #ABANDONED_PAUSE} apart (a child
     * released from {@code arrive} next waits at {@code hold}), so each held child fails at its
     * ticket; then removes the directory. Takes about 0.1 s per such directory.
     */
    static void releaseAbandoned() {
        for (Path base : bases()) {
            releaseAbandonedIn(base);
        }
    }

    /**
     * Where gate directories go: a memory file system, since each spawn makes and removes its own
     * gate ({@code $XDG_RUNTIME_DIR}, else {@code /dev/shm}; on the disk-backed {@code /tmp} here
     * that cost about 1.5 ms per spawn), else {@code java.io.tmpdir}.
     */
    static Path base() {
        return bases().stream().filter(Files::isDirectory).filter(Files::isWritable).findFirst()
                .orElse(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Every place a gate directory may be, most preferred first. */
    private static List<Path> bases() {
        List<Path> out = new java.util.ArrayList<>();
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            out.add(Path.of(runtime));
        }
        out.add(Path.of("/dev/shm"));
        out.add(Path.of(System.getProperty("java.io.tmpdir")));
        return out;
    }

    private static void releaseAbandonedIn(Path tmp) {
        if (!Files.isDirectory(tmp)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, DIRECTORY_PREFIX + "*")) {
            for (Path d : dirs) {
                // Never this JVM's own: opening and closing its lock file would drop the lock.
                if (d.equals(ownDirectory) || !ownedBySelf(d) || ownerAlive(d)) {
                    continue;
                }
                try (Arena arena = Arena.ofConfined()) {
                    for (int pass = 0; pass < ABANDONED_PASSES; pass++) {
                        releaseAll(d, arena);
                        Thread.sleep(ABANDONED_PAUSE);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                removeAll(d);
                log.debug("released the held spawns of a dead JVM and removed its gates ({})", d);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot look for abandoned held spawns in {}: {}", tmp, e.getMessage());
        }
    }

    /**
     * Whether the JVM of a gate directory still holds the lock on its owner file. A directory
     * without one (not ours, or made by hand) counts as dead only when the JVM its name gives is
     * gone, as this namespace sees it.
     */
    private static boolean ownerAlive(Path d) throws IOException {
        Path lock = d.resolve(OWNER_LOCK);
        if (!Files.exists(lock)) {
            return namedOwnerAlive(d.getFileName().toString());
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = ch.tryLock();
            if (held == null) {
                return true;
            }
            held.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        }
    }

    /** Whether the JVM named by a gate directory ({@code prefix-PID-START-random}) still runs. */
    private static boolean namedOwnerAlive(String name) {
        String[] parts = name.substring(DIRECTORY_PREFIX.length()).split("-");
        try {
            long pid = Long.parseLong(parts[0]);
            long start = Long.parseLong(parts[1]);
            return ProcFs.stat(pid).map(st -> st.startTime() == start).orElse(false);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return true; // not one of ours: leave it alone
        }
    }

    private static boolean ownedBySelf(Path d) throws IOException {
        return Files.getAttribute(d, "unix:uid", LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static void releaseAll(Path d, Arena arena) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                if (f.getFileName().toString().endsWith(".ticket")) {
                    Files.deleteIfExists(f);
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if ((name.endsWith(".arrive") || name.endsWith(".hold")) && !Files.isSymbolicLink(f)) {
                    // a FIFO: opening it read-write never blocks
                    int fd = LibC.open(arena.allocateFrom(f.toString()), LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
                    if (fd >= 0) {
                        LibC.close(fd);
                    }
                }
            }
        }
    }

    private static int pause(int spins) {
        if (spins < SPINS_BEFORE_PARKING) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(PARK_NANOS);
        }
        return spins + 1;
    }

    /**
     * A gate for one spawn: a pooled {@code arrive} FIFO and ticket, and a {@code hold} FIFO of its
     * own, never reused. A child spawned concurrently from this JVM (by Tether or anyone) gets
     * copies of the JVM's descriptors, the keeper's write end of a {@code hold} among them, and
     * keeps them until its own closefrom or exec; on a reused {@code hold} such a stray copy let
     * the next held child through before it was in its cgroup (seen: 7 unmigrated children in
     * 6,000 spawns from 50 threads). Stray copies of {@code arrive}'s read end are harmless.
     */
    private Gate take() {
        Gate slot = free.poll();
        if (slot == null) {
            int n = gates.incrementAndGet();
            slot = new Gate(dir.resolve(n + ".arrive"), null, dir.resolve(n + ".ticket"));
            mkfifo(slot.arrive());
            createTicket(slot);
        }
        String name = slot.arrive().getFileName().toString();
        Path hold = dir.resolve(name.substring(0, name.length() - ".arrive".length()) + "-" + holds.incrementAndGet() + ".hold");
        mkfifo(hold);
        return new Gate(slot.arrive(), hold, slot.ticket());
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("cannot remove spawn gate {}: {}", p, e.getMessage());
        }
    }

    private static void mkfifo(Path fifo) {
        try (Arena arena = Arena.ofConfined()) {
            if (LibC.mkfifo(arena.allocateFrom(fifo.toString()), 0600) < 0) {
                throw new TetherException("cannot create spawn gate " + fifo + ": " + Errno.name(LibC.errno()));
            }
        }
    }

    private static void createTicket(Gate gate) {
        if (Files.exists(gate.ticket())) {
            return; // the usual case: only a failed spawn removes it
        }
        try {
            Files.createFile(gate.ticket());
        } catch (FileAlreadyExistsException e) {
            // made meanwhile
        } catch (IOException e) {
            throw new TetherException("cannot create spawn ticket " + gate.ticket() + ": " + e.getMessage(), e);
        }
    }

    /** A spawn is done with its gate: its hold goes, the rest goes back to the pool (with its ticket made again if need be). */
    private void discard(Gate gate) {
        deleteQuietly(gate.hold());
        try {
            createTicket(gate);
            free.push(new Gate(gate.arrive(), null, gate.ticket()));
        } catch (TetherException e) {
            log.warn("{}; that gate is dropped", e.getMessage());
        }
    }

    private static void addOpen(Arena arena, MemorySegment actions, Path path, int flags) {
        LinuxSpawner.check(LibC.posix_spawn_file_actions_addopen(actions, CHILD_FD, arena.allocateFrom(path.toString()), flags, 0),
                "posix_spawn_file_actions_addopen");
    }

}
