package dev.tether.linux;

import dev.tether.linux.libc.Errno;
import dev.tether.linux.libc.LibC;
import dev.tether.linux.libc.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this JVM a child subreaper and reaps the orphans that re-parent to it (double-forked
 * daemons, children of killed session members) without ever stealing the exit status of a
 * {@link Process} started elsewhere in the JVM.
 *
 * <p>How: {@code waitid(P_ALL, WEXITED|WNOWAIT)} only as a trigger (it reaps nothing); the
 * zombies are listed from {@code /proc/self/task/*}{@code /children}; a session main process is
 * left to the {@link ExitWatcher} (when the trigger names one, without listing or locking at all);
 * a zombie known to come from a Tether session is reaped at once;
 * any other is reaped only after it stayed unreaped for {@link #UNCLAIMED_GRACE} (the JDK's own
 * reaper takes its children within microseconds, so what is left that long is nobody's).
 * Spawns hold {@link #spawnLock()} until their pidfd is watched, so a main process that exits
 * instantly is never mistaken for an orphan.
 */
final class OrphanReaper {
    private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);
    static final Duration UNCLAIMED_GRACE = Duration.ofSeconds(2);
    private static final long PENDING_PAUSE_MILLIS = 20;
    /** How long a watched main's zombie is left to the exit watcher before the full scan looks at it. */
    private static final Duration WATCHED_REAP_WAIT = Duration.ofMillis(50);

    private final ExitWatcher watcher;
    private final LongPredicate fromSession;
    private final ReentrantReadWriteLock spawnGate = new ReentrantReadWriteLock();
    private final Semaphore childAppeared = new Semaphore(0);
    private final Map<Long, Long> claimed = new ConcurrentHashMap<>();
    private final Map<Long, Long> firstSeen = new HashMap<>();
    private final boolean subreaper;

    /**
     * @param fromSession whether a zombie child (by pid) belongs to a Tether session, judged from
     *                    what {@code /proc} still shows of it (cgroup, session id)
     */
    OrphanReaper(ExitWatcher watcher, LongPredicate fromSession) {
        this.watcher = watcher;
        this.fromSession = fromSession;
        this.subreaper = LibC.prctl(LibC.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        if (!subreaper) {
            log.warn("cannot become a child subreaper ({}): orphaned daemons re-parent to init and are reaped there",
                    Errno.name(LibC.errno()));
        }
        Thread.ofPlatform().daemon().name("tether-orphan-reaper").start(this::run);
    }

    boolean isSubreaper() {
        return subreaper;
    }

    /** Held (shared) by each spawn from before the spawn until its pidfd is watched. */
    Lock spawnLock() {
        return spawnGate.readLock();
    }

    /** A child now exists: wake the reaper if it was idle for lack of children. */
    void childStarted() {
        childAppeared.release();
    }

    /** Marks a process as a Tether session member, so its zombie is reaped without delay. */
    void claim(long pid, long startTime) {
        claimed.put(pid, startTime);
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(Structs.SIGINFO_T_SIZE, 8);
            while (true) {
                int rc = LibC.waitid(LibC.P_ALL, 0, info, LibC.WEXITED | LibC.WNOWAIT);
                if (rc < 0) {
                    int err = LibC.errno();
                    if (err == Errno.ECHILD) {
                        // No children at all: wait for a spawn (or look again now and then for
                        // orphans of children that this JVM started without Tether).
                        childAppeared.tryAcquire(1, TimeUnit.SECONDS);
                        childAppeared.drainPermits();
                    } else if (err != Errno.EINTR) {
                        log.error("waitid(P_ALL) failed ({}); orphan reaping stops", Errno.name(err));
                        return;
                    }
                    continue;
                }
                long zombie = info.get(java.lang.foreign.ValueLayout.JAVA_INT, Structs.SIGINFO_SI_PID);
                if (watcher.isWatched(zombie) && awaitReapedByWatcher(zombie)) {
                    // A session's main process: the exit watcher reaps it within microseconds. Let
                    // it, without the scan and the lock that would hold up the next spawn.
                    continue;
                }
                if (!reapZombies(info)) {
                    Thread.sleep(PENDING_PAUSE_MILLIS); // zombies pending (someone else's, or in grace)
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            log.error("orphan reaper died", t);
        }
    }

    /**
     * Waits (briefly) until the exit watcher has reaped a zombie it watches; false if it has not
     * by then, so that the full scan still runs and other orphans are not starved behind it.
     */
    private boolean awaitReapedByWatcher(long pid) {
        long deadline = System.nanoTime() + WATCHED_REAP_WAIT.toNanos();
        while (watcher.isWatched(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** Reaps what may be reaped now; returns whether at least one zombie was reaped. */
    private boolean reapZombies(MemorySegment info) {
        Lock exclusive = spawnGate.writeLock();
        exclusive.lock();
        try {
            boolean reaped = false;
            long now = System.nanoTime();
            Set<Long> zombies = new HashSet<>();
            for (long pid : ProcFs.ownChildren()) {
                ProcFs.Stat st = ProcFs.stat(pid).orElse(null);
                if (st == null || !st.isZombie() || watcher.isWatched(pid)) {
                    continue;
                }
                zombies.add(pid);
                Long claimStart = claimed.get(pid);
                boolean ours = (claimStart != null && claimStart == st.startTime()) || fromSession.test(pid);
                long seen = firstSeen.computeIfAbsent(pid, p -> now);
                if (ours || now - seen >= UNCLAIMED_GRACE.toNanos()) {
                    info.fill((byte) 0);
                    if (LibC.waitid(LibC.P_PID, (int) pid, info, LibC.WEXITED | LibC.WNOHANG) == 0) {
                        reaped = true;
                        claimed.remove(pid);
                        zombies.remove(pid);
                        log.debug("reaped orphan {} ({})", pid, st.name());
                    }
                }
            }
            firstSeen.keySet().retainAll(zombies);
            claimed.keySet().removeIf(pid -> ProcFs.stat(pid).isEmpty());
            return reaped;
        } finally {
            exclusive.unlock();
        }
    }
}
