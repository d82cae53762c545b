package dev.tether.linux;

import dev.tether.linux.libc.LibC;
import dev.tether.linux.libc.Structs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;

/**
 * This JVM's leader thread, where the kernel re-parents the orphans of a child subreaper while
 * that thread lives, and the children it holds: the orphans this JVM adopted.
 *
 * <p>Whether it lives is asked of a thread pidfd ({@code PIDFD_THREAD}, Linux 6.9+), readable
 * once the thread has exited, by a poll that does not block; on older kernels, of its
 * {@code /proc} stat line (several times dearer). Its children are read before that question, so
 * a yes means the read saw every adopted child (a leader that exits hands its children to another
 * thread, and never comes back).
 */
final class LeaderThread {
    /** {@code PIDFD_THREAD}, which is {@code O_EXCL}: a pidfd for the thread, not its thread group. */
    private static final int PIDFD_THREAD = 0x80;
    private static final short POLLIN = 1;
    private static final long TID = ProcessHandle.current().pid();
    /** The leader's thread pidfd for the JVM's life, or -1 where the kernel has none. */
    private static final int PIDFD = LibC.pidfd_open((int) TID, PIDFD_THREAD);

    private LeaderThread() {}

    /** The children orphans re-parent to when this process is a subreaper (see class doc). */
    static List<Long> adoptedChildren() {
        Optional<List<Long>> kids = ProcFs.taskChildren(TID);
        if (kids.isPresent() && alive()) {
            return kids.get();
        }
        return ProcFs.ownChildren(); // the leader has exited: another thread adopts, so read them all
    }

    /** Whether the leader thread has not exited. */
    static boolean alive() {
        if (PIDFD < 0) {
            return statSaysAlive();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(Structs.POLLFD_SIZE, 4);
            pfd.set(ValueLayout.JAVA_INT, Structs.POLLFD_FD, PIDFD);
            pfd.set(ValueLayout.JAVA_SHORT, Structs.POLLFD_EVENTS, POLLIN);
            int rc = LibC.poll(pfd, 1, 0);
            return rc < 0 ? statSaysAlive() : rc == 0; // readable (1) once the thread has exited
        }
    }

    /** Whether the leader's {@code /proc} stat line shows it running (not a zombie). */
    static boolean statSaysAlive() {
        return ProcFs.taskStat(TID).map(st -> !st.isZombie()).orElse(false);
    }
}
