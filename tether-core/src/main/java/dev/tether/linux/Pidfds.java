package dev.tether.linux;

import dev.tether.ProcessId;
import dev.tether.Signal;
import dev.tether.internal.Identities;
import dev.tether.linux.libc.Errno;
import dev.tether.linux.libc.LibC;
import java.lang.foreign.MemorySegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals a process by identity. A pidfd pins the process that held the pid when it was opened;
 * the start time is checked after opening it, so a pid recycled before the open fails the check
 * and one recycled after it cannot be reached through the fd.
 */
final class Pidfds {
    private static final Logger log = LoggerFactory.getLogger(Pidfds.class);
    private static volatile boolean pidfdSupported = true;

    private Pidfds() {}

    /** Opens a pidfd for a pid; -1 (with errno) on failure. */
    static int open(long pid) {
        return LibC.pidfd_open((int) pid, 0);
    }

    static boolean signal(ProcessId target, Signal signal) {
        if (!target.bootId().equals(Identities.bootId())) {
            return false;
        }
        if (!pidfdSupported) {
            return signalByCheckedPid(target, signal);
        }
        int fd = open(target.pid());
        if (fd < 0) {
            int err = LibC.errno();
            if (err == Errno.ENOSYS) {
                pidfdSupported = false;
                log.info("pidfd_open is not supported by this kernel; signalling by pid after an identity check");
                return signalByCheckedPid(target, signal);
            }
            return false; // ESRCH: gone
        }
        try {
            if (!matches(target)) {
                return false;
            }
            int rc = LibC.pidfd_send_signal(fd, signal.number(), MemorySegment.NULL, 0);
            if (rc < 0) {
                int err = LibC.errno();
                if (err != Errno.ESRCH) {
                    log.warn("cannot send {} to pid {}: {}", signal, target.pid(), Errno.name(err));
                }
                return false;
            }
            return true;
        } finally {
            LibC.close(fd);
        }
    }

    private static boolean matches(ProcessId target) {
        return ProcFs.stat(target.pid()).map(s -> s.startTime() == target.startTime()).orElse(false);
    }

    /** Kernels before 5.3: re-check identity right before kill(2); a narrow race remains. */
    private static boolean signalByCheckedPid(ProcessId target, Signal signal) {
        if (!matches(target)) {
            return false;
        }
        return LibC.kill((int) target.pid(), signal.number()) == 0;
    }
}
