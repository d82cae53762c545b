package dev.tether.linux;

import static dev.tether.linux.libc.LibC.CLD_DUMPED;
import static dev.tether.linux.libc.LibC.CLD_EXITED;
import static dev.tether.linux.libc.LibC.CLD_KILLED;

import dev.tether.Exit;
import dev.tether.Signal;
import dev.tether.TetherException;
import dev.tether.linux.libc.Errno;
import dev.tether.linux.libc.LibC;
import dev.tether.linux.libc.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns of child exits through pidfds and one platform thread blocked in {@code epoll_wait}:
 * no polling, no thread per process. On readiness it reaps exactly that child with
 * {@code waitid(P_PIDFD)}, removes the fd from the epoll set, then closes it (closing first gave
 * endless spurious events while a concurrent spawn held a copy of the fd).
 */
final class ExitWatcher {
    private static final Logger log = LoggerFactory.getLogger(ExitWatcher.class);
    private static final int MAX_EVENTS = 64;

    private final int epfd;
    private final Map<Integer, Watch> byFd = new ConcurrentHashMap<>();
    private final Map<Long, Watch> byPid = new ConcurrentHashMap<>();
    /**
     * Completions run here, never on the epoll thread, so a slow callback cannot delay exits: one
     * virtual thread per exit, which then also runs the reap action's work (a session's stop).
     */
    private final Executor callbacks = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tether-exit-callback-", 0).factory());

    private record Watch(long pid, int pidfd, CompletableFuture<Exit> exit, ReapSignal reaped) {}

    ExitWatcher() {
        epfd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw new TetherException("epoll_create1 failed: " + Errno.name(LibC.errno()));
        }
        Thread t = Thread.ofPlatform().daemon().name("tether-exit-watcher").unstarted(this::run);
        t.start();
    }

    /** Whether this pid's exit is being watched (its zombie is reaped here, not by the orphan reaper). */
    boolean isWatched(long pid) {
        return byPid.containsKey(pid);
    }

    /** Watches a child through its pidfd; takes ownership of the fd. {@code reaped} fires on the exit's callback thread. */
    CompletableFuture<Exit> watch(long pid, int pidfd, ReapSignal reaped) {
        Watch w = new Watch(pid, pidfd, new CompletableFuture<>(), reaped);
        byFd.put(pidfd, w);
        byPid.put(pid, w);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ev = arena.allocate(Structs.EPOLL_EVENT_SIZE, 8);
            ev.set(ValueLayout.JAVA_INT_UNALIGNED, Structs.EPOLL_EVENT_EVENTS, LibC.EPOLLIN);
            ev.set(ValueLayout.JAVA_LONG_UNALIGNED, Structs.EPOLL_EVENT_DATA, pidfd);
            if (LibC.epoll_ctl(epfd, LibC.EPOLL_CTL_ADD, pidfd, ev) < 0) {
                int err = LibC.errno();
                byFd.remove(pidfd);
                byPid.remove(pid);
                LibC.close(pidfd);
                throw new TetherException("cannot watch pid " + pid + ": epoll_ctl " + Errno.name(err));
            }
        }
        return w.exit;
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Structs.EPOLL_EVENT_SIZE * MAX_EVENTS, 8);
            MemorySegment info = arena.allocate(Structs.SIGINFO_T_SIZE, 8);
            while (true) {
                int n = LibC.epoll_wait(epfd, events, MAX_EVENTS, -1);
                if (n < 0) {
                    int err = LibC.errno();
                    if (err == Errno.EINTR) {
                        continue;
                    }
                    log.error("epoll_wait failed ({}); exit notification stops", Errno.name(err));
                    return;
                }
                for (int i = 0; i < n; i++) {
                    long data = events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * Structs.EPOLL_EVENT_SIZE + Structs.EPOLL_EVENT_DATA);
                    onReadable((int) data, info);
                }
            }
        } catch (Throwable t) {
            log.error("exit watcher died; sessions will not learn of exits", t);
        }
    }

    private void onReadable(int pidfd, MemorySegment info) {
        Watch w = byFd.get(pidfd);
        if (w == null) {
            return;
        }
        info.fill((byte) 0);
        int rc = LibC.waitid(LibC.P_PIDFD, pidfd, info, LibC.WEXITED | LibC.WNOHANG);
        int err = rc < 0 ? LibC.errno() : 0;
        if (rc == 0 && info.get(ValueLayout.JAVA_INT, Structs.SIGINFO_SI_PID) == 0) {
            return; // readable but not yet reapable: wait for the next event
        }
        // Forget the fd before closing it: once closed, a concurrent spawn may get the same number
        // from pidfd_open and register it, and a late remove would drop that new watch.
        LibC.epoll_ctl(epfd, LibC.EPOLL_CTL_DEL, pidfd, MemorySegment.NULL);
        byFd.remove(pidfd, w);
        byPid.remove(w.pid, w);
        LibC.close(pidfd);
        if (rc < 0) {
            TetherException lost = new TetherException("the exit status of pid " + w.pid
                    + " was taken by another waiter (" + Errno.name(err) + "); something else in this JVM reaps children");
            callbacks.execute(() -> afterReap(w, () -> w.exit.completeExceptionally(lost)));
            return;
        }
        Exit exit = decode(info);
        callbacks.execute(() -> afterReap(w, () -> w.exit.complete(exit)));
    }

    /** On a callback thread: the reap action, then the exit future's completion, then the action's work. */
    private static void afterReap(Watch w, Runnable completeExit) {
        Runnable work = null;
        try {
            work = w.reaped.fire();
        } catch (RuntimeException e) {
            log.error("the reap action of pid {} failed", w.pid, e);
        }
        completeExit.run();
        if (work != null) {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.error("the work after the reap of pid {} failed", w.pid, e);
            }
        }
    }

    static Exit decode(MemorySegment info) {
        int code = info.get(ValueLayout.JAVA_INT, Structs.SIGINFO_SI_CODE);
        int status = info.get(ValueLayout.JAVA_INT, Structs.SIGINFO_SI_STATUS);
        return switch (code) {
            case CLD_EXITED -> new Exit.Exited(status & 0xff);
            case CLD_KILLED -> new Exit.Signalled(Signal.of(status));
            case CLD_DUMPED -> new Exit.Signalled(Signal.of(status), true);
            default -> throw new IllegalStateException("unexpected si_code " + code + " for an exited child");
        };
    }
}
