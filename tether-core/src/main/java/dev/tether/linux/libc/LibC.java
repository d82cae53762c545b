package dev.tether.linux.libc;

import static dev.tether.linux.libc.Native.C_INT;
import static dev.tether.linux.libc.Native.C_LONG;
import static dev.tether.linux.libc.Native.C_POINTER;
import static dev.tether.linux.libc.Native.C_SHORT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Raw bindings to the glibc functions Tether calls, one method per C function, named after it.
 * No policy lives here: callers interpret return values and {@link #errno()}.
 * Functions that report through errno capture it per call; read it with {@link #errno()} on
 * the same thread right after the call.
 */
public final class LibC {
    private LibC() {}

    // ---- posix_spawn(3) -------------------------------------------------------------------

    private static final MethodHandle POSIX_SPAWN = Native.link("posix_spawn",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER));
    private static final MethodHandle SPAWNATTR_INIT = Native.link("posix_spawnattr_init",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle SPAWNATTR_DESTROY = Native.link("posix_spawnattr_destroy",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle SPAWNATTR_SETFLAGS = Native.link("posix_spawnattr_setflags",
            FunctionDescriptor.of(C_INT, C_POINTER, C_SHORT));
    private static final MethodHandle SPAWNATTR_SETSIGMASK = Native.link("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle SPAWNATTR_SETSIGDEFAULT = Native.link("posix_spawnattr_setsigdefault",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    private static final MethodHandle FILE_ACTIONS_INIT = Native.link("posix_spawn_file_actions_init",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle FILE_ACTIONS_DESTROY = Native.link("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle FILE_ACTIONS_ADDOPEN = Native.link("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle FILE_ACTIONS_ADDDUP2 = Native.link("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle FILE_ACTIONS_ADDCHDIR_NP = Native.link("posix_spawn_file_actions_addchdir_np",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER));
    private static final Optional<MethodHandle> FILE_ACTIONS_ADDCLOSEFROM_NP = Native.linkOptional(
            "posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(C_INT, C_POINTER, C_INT));

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawn.3.html">posix_spawn(3)</a>; returns an error number, 0 on success. */
    public static int posix_spawn(MemorySegment pid, MemorySegment path, MemorySegment fileActions,
                                  MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        try {
            return (int) POSIX_SPAWN.invokeExact(pid, path, fileActions, attr, argv, envp);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawnattr_init.3.html">posix_spawnattr_init(3)</a> */
    public static int posix_spawnattr_init(MemorySegment attr) {
        try {
            return (int) SPAWNATTR_INIT.invokeExact(attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawnattr_init.3.html">posix_spawnattr_destroy(3)</a> */
    public static int posix_spawnattr_destroy(MemorySegment attr) {
        try {
            return (int) SPAWNATTR_DESTROY.invokeExact(attr);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawnattr_setflags.3p.html">posix_spawnattr_setflags(3p)</a> */
    public static int posix_spawnattr_setflags(MemorySegment attr, short flags) {
        try {
            return (int) SPAWNATTR_SETFLAGS.invokeExact(attr, flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawnattr_setsigmask.3p.html">posix_spawnattr_setsigmask(3p)</a> */
    public static int posix_spawnattr_setsigmask(MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) SPAWNATTR_SETSIGMASK.invokeExact(attr, sigset);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawnattr_setsigdefault.3p.html">posix_spawnattr_setsigdefault(3p)</a> */
    public static int posix_spawnattr_setsigdefault(MemorySegment attr, MemorySegment sigset) {
        try {
            return (int) SPAWNATTR_SETSIGDEFAULT.invokeExact(attr, sigset);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawn_file_actions_init.3p.html">posix_spawn_file_actions_init(3p)</a> */
    public static int posix_spawn_file_actions_init(MemorySegment actions) {
        try {
            return (int) FILE_ACTIONS_INIT.invokeExact(actions);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawn_file_actions_destroy.3p.html">posix_spawn_file_actions_destroy(3p)</a> */
    public static int posix_spawn_file_actions_destroy(MemorySegment actions) {
        try {
            return (int) FILE_ACTIONS_DESTROY.invokeExact(actions);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawn_file_actions_addopen.3p.html">posix_spawn_file_actions_addopen(3p)</a> */
    public static int posix_spawn_file_actions_addopen(MemorySegment actions, int fd, MemorySegment path, int oflag, int mode) {
        try {
            return (int) FILE_ACTIONS_ADDOPEN.invokeExact(actions, fd, path, oflag, mode);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawn_file_actions_adddup2.3p.html">posix_spawn_file_actions_adddup2(3p)</a> */
    public static int posix_spawn_file_actions_adddup2(MemorySegment actions, int fd, int newFd) {
        try {
            return (int) FILE_ACTIONS_ADDDUP2.invokeExact(actions, fd, newFd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    private static final MethodHandle FILE_ACTIONS_ADDCLOSE = Native.link("posix_spawn_file_actions_addclose",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));

    /** @see <a href="https://man7.org/linux/man-pages/man3/posix_spawn_file_actions_addclose.3p.html">posix_spawn_file_actions_addclose(3p)</a> */
    public static int posix_spawn_file_actions_addclose(MemorySegment actions, int fd) {
        try {
            return (int) FILE_ACTIONS_ADDCLOSE.invokeExact(actions, fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** glibc extension (2.29+): change directory in the child before exec. */
    public static int posix_spawn_file_actions_addchdir_np(MemorySegment actions, MemorySegment path) {
        try {
            return (int) FILE_ACTIONS_ADDCHDIR_NP.invokeExact(actions, path);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** Whether glibc has {@code posix_spawn_file_actions_addclosefrom_np} (2.34+). */
    public static boolean hasAddclosefromNp() {
        return FILE_ACTIONS_ADDCLOSEFROM_NP.isPresent();
    }

    /** glibc extension (2.34+): close every descriptor from {@code from} up in the child. */
    public static int posix_spawn_file_actions_addclosefrom_np(MemorySegment actions, int from) {
        try {
            return (int) FILE_ACTIONS_ADDCLOSEFROM_NP.orElseThrow().invokeExact(actions, from);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- signals ----------------------------------------------------------------------------

    private static final MethodHandle SIGEMPTYSET = Native.link("sigemptyset", FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle SIGFILLSET = Native.link("sigfillset", FunctionDescriptor.of(C_INT, C_POINTER));
    private static final MethodHandle KILL = Native.linkWithErrno("kill", FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle GETTID = Native.link("gettid", FunctionDescriptor.of(C_INT));

    /** @see <a href="https://man7.org/linux/man-pages/man2/gettid.2.html">gettid(2)</a> (glibc 2.30+): the calling thread's kernel id */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/sigemptyset.3.html">sigemptyset(3)</a> */
    public static int sigemptyset(MemorySegment set) {
        try {
            return (int) SIGEMPTYSET.invokeExact(set);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/sigfillset.3.html">sigfillset(3)</a> */
    public static int sigfillset(MemorySegment set) {
        try {
            return (int) SIGFILLSET.invokeExact(set);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/kill.2.html">kill(2)</a>; only for kernels without pidfd, after an identity check. */
    public static int kill(int pid, int signal) {
        try {
            return (int) KILL.invokeExact(Native.callState(), pid, signal);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- syscall(2): pidfd_open, pidfd_send_signal ----------------------------------------

    private static final MethodHandle SYSCALL_3 = Native.linkWithErrno("syscall",
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL_5 = Native.linkWithErrno("syscall",
            FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG), Linker.Option.firstVariadicArg(1));

    /** @see <a href="https://man7.org/linux/man-pages/man2/pidfd_open.2.html">pidfd_open(2)</a> (Linux 5.3+) */
    public static int pidfd_open(int pid, int flags) {
        try {
            return (int) (long) SYSCALL_3.invokeExact(Native.callState(), SYS_pidfd_open, (long) pid, (long) flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/pidfd_send_signal.2.html">pidfd_send_signal(2)</a> (Linux 5.1+) */
    public static int pidfd_send_signal(int pidfd, int signal, MemorySegment info, int flags) {
        try {
            return (int) (long) SYSCALL_5.invokeExact(Native.callState(), SYS_pidfd_send_signal,
                    (long) pidfd, (long) signal, info.address(), (long) flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- wait, epoll, eventfd, pipes ------------------------------------------------------

    private static final MethodHandle WAITID = Native.linkWithErrno("waitid",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER, C_INT));
    private static final MethodHandle EPOLL_CREATE1 = Native.linkWithErrno("epoll_create1",
            FunctionDescriptor.of(C_INT, C_INT));
    private static final MethodHandle EPOLL_CTL = Native.linkWithErrno("epoll_ctl",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_INT, C_POINTER));
    private static final MethodHandle EPOLL_WAIT = Native.linkWithErrno("epoll_wait",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT));
    private static final MethodHandle EVENTFD = Native.linkWithErrno("eventfd",
            FunctionDescriptor.of(C_INT, C_INT, C_INT));
    private static final MethodHandle PIPE2 = Native.linkWithErrno("pipe2",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle READ = Native.linkWithErrno("read",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle WRITE = Native.linkWithErrno("write",
            FunctionDescriptor.of(C_LONG, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle CLOSE = Native.linkWithErrno("close",
            FunctionDescriptor.of(C_INT, C_INT));

    /** @see <a href="https://man7.org/linux/man-pages/man2/waitid.2.html">waitid(2)</a> */
    public static int waitid(int idType, int id, MemorySegment info, int options) {
        try {
            return (int) WAITID.invokeExact(Native.callState(), idType, id, info, options);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/epoll_create1.2.html">epoll_create1(2)</a> */
    public static int epoll_create1(int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(Native.callState(), flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/epoll_ctl.2.html">epoll_ctl(2)</a> */
    public static int epoll_ctl(int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) EPOLL_CTL.invokeExact(Native.callState(), epfd, op, fd, event);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/epoll_wait.2.html">epoll_wait(2)</a> */
    public static int epoll_wait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(Native.callState(), epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/eventfd.2.html">eventfd(2)</a> */
    public static int eventfd(int initialValue, int flags) {
        try {
            return (int) EVENTFD.invokeExact(Native.callState(), initialValue, flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/pipe2.2.html">pipe2(2)</a> */
    public static int pipe2(MemorySegment fds, int flags) {
        try {
            return (int) PIPE2.invokeExact(Native.callState(), fds, flags);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/read.2.html">read(2)</a> */
    public static long read(int fd, MemorySegment buffer, long count) {
        try {
            return (long) READ.invokeExact(Native.callState(), fd, buffer, count);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/write.2.html">write(2)</a> */
    public static long write(int fd, MemorySegment buffer, long count) {
        try {
            return (long) WRITE.invokeExact(Native.callState(), fd, buffer, count);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/close.2.html">close(2)</a> */
    public static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(Native.callState(), fd);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- files: open, mkfifo, poll ---------------------------------------------------------

    private static final MethodHandle OPEN = Native.linkWithErrno("open",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT, C_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MKFIFO = Native.linkWithErrno("mkfifo",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    private static final MethodHandle POLL = Native.linkWithErrno("poll",
            FunctionDescriptor.of(C_INT, C_POINTER, C_LONG, C_INT));

    /** @see <a href="https://man7.org/linux/man-pages/man2/open.2.html">open(2)</a>; a descriptor, or -1 and errno */
    public static int open(MemorySegment path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(Native.callState(), path, flags, mode);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/mkfifo.3.html">mkfifo(3)</a> */
    public static int mkfifo(MemorySegment path, int mode) {
        try {
            return (int) MKFIFO.invokeExact(Native.callState(), path, mode);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man2/poll.2.html">poll(2)</a>; {@code fds} holds {@code struct pollfd}s */
    public static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(Native.callState(), fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    // ---- process attributes -------------------------------------------------------------------

    private static final MethodHandle PRCTL = Native.linkWithErrno("prctl",
            FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG, C_LONG, C_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle GNU_GET_LIBC_VERSION = Native.link("gnu_get_libc_version",
            FunctionDescriptor.of(C_POINTER));
    private static final MethodHandle STRERROR = Native.link("strerror", FunctionDescriptor.of(C_POINTER, C_INT));

    /** @see <a href="https://man7.org/linux/man-pages/man2/prctl.2.html">prctl(2)</a> */
    public static int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        try {
            return (int) PRCTL.invokeExact(Native.callState(), option, arg2, arg3, arg4, arg5);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/gnu_get_libc_version.3.html">gnu_get_libc_version(3)</a> */
    public static String gnu_get_libc_version() {
        try {
            MemorySegment s = (MemorySegment) GNU_GET_LIBC_VERSION.invokeExact();
            return s.reinterpret(64).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** @see <a href="https://man7.org/linux/man-pages/man3/strerror.3.html">strerror(3)</a> */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    /** errno captured by the last errno-reporting call made on this thread. */
    public static int errno() {
        return Native.lastErrno();
    }

    // ---- constants (Linux, x86_64 and aarch64 agree on all of these) ------------------------

    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    public static final short POSIX_SPAWN_SETSID = 0x80;

    public static final long SYS_pidfd_send_signal = 424;
    public static final long SYS_pidfd_open = 434;

    public static final int P_ALL = 0;
    public static final int P_PID = 1;
    public static final int P_PIDFD = 3;
    public static final int WNOHANG = 0x1;
    public static final int WEXITED = 0x4;
    public static final int WNOWAIT = 0x01000000;
    public static final int CLD_EXITED = 1;
    public static final int CLD_KILLED = 2;
    public static final int CLD_DUMPED = 3;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final short POLLHUP = 0x10;

    public static final int EPOLL_CLOEXEC = O_CLOEXEC;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLLIN = 0x001;
    public static final int EFD_CLOEXEC = O_CLOEXEC;

    public static final int PR_SET_CHILD_SUBREAPER = 36;
    public static final int PR_GET_CHILD_SUBREAPER = 37;
}
