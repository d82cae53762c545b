package dev.tether.linux.libc;

/**
 * Sizes and offsets of the C structures Tether passes to glibc on Linux (glibc 2.36, 64-bit).
 * Opaque structures are allocated with headroom: a larger buffer is harmless, a smaller one is not.
 */
public final class Structs {
    private Structs() {}

    /** {@code posix_spawnattr_t} is 336 bytes on x86_64 glibc 2.36; allocate headroom. */
    public static final long POSIX_SPAWNATTR_T_SIZE = 512;
    /** {@code posix_spawn_file_actions_t} is 80 bytes on x86_64 glibc 2.36; allocate headroom. */
    public static final long POSIX_SPAWN_FILE_ACTIONS_T_SIZE = 128;
    /** {@code sigset_t}: 1024 bits. */
    public static final long SIGSET_T_SIZE = 128;

    /** {@code struct pollfd}: {@code int fd; short events; short revents;}. */
    public static final long POLLFD_SIZE = 8;
    public static final long POLLFD_FD = 0;
    public static final long POLLFD_EVENTS = 4;
    public static final long POLLFD_REVENTS = 6;

    /** {@code siginfo_t} is 128 bytes; the fields waitid fills for a child. */
    public static final long SIGINFO_T_SIZE = 128;
    public static final long SIGINFO_SI_SIGNO = 0;
    public static final long SIGINFO_SI_CODE = 8;
    public static final long SIGINFO_SI_PID = 16;
    public static final long SIGINFO_SI_UID = 20;
    public static final long SIGINFO_SI_STATUS = 24;

    /**
     * {@code struct epoll_event} is packed on x86_64 (12 bytes, data at offset 4) and naturally
     * aligned elsewhere (16 bytes, data at offset 8).
     */
    public static final boolean EPOLL_EVENT_PACKED = isX86_64();
    public static final long EPOLL_EVENT_SIZE = EPOLL_EVENT_PACKED ? 12 : 16;
    public static final long EPOLL_EVENT_EVENTS = 0;
    public static final long EPOLL_EVENT_DATA = EPOLL_EVENT_PACKED ? 4 : 8;

    private static boolean isX86_64() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
