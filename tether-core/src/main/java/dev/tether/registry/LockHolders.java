package dev.tether.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who holds a write lock on a SQLite database, read from Linux's {@code /proc/locks}: SQLite
 * takes POSIX write locks on the database file (rollback journal) or on its {@code -shm} file
 * (WAL). Elsewhere, or when unreadable, nobody can be named.
 */
final class LockHolders {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    private LockHolders() {}

    /** A human description of who holds {@code db}'s write lock, e.g. {@code pid 42 (python3)}. */
    static String describe(Path db) {
        List<Long> pids = writers(db);
        if (pids.isEmpty()) {
            return "another process";
        }
        long self = ProcessHandle.current().pid();
        List<String> names = new ArrayList<>();
        for (long pid : pids) {
            names.add(pid == self ? "this process (pid " + pid + ", another connection)" : "pid " + pid + command(pid));
        }
        return String.join(", ", names);
    }

    static List<Long> writers(Path db) {
        List<String> keys = new ArrayList<>();
        key(db).ifPresent(keys::add);
        key(Path.of(db + "-shm")).ifPresent(keys::add);
        if (keys.isEmpty() || !Files.isReadable(PROC_LOCKS)) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(PROC_LOCKS)) {
                // "1: POSIX  ADVISORY  WRITE 9928 fe:00:2146450 120 120"; waiters have "->" after the id.
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || f[1].equals("->") || !f[3].equals("WRITE") || !keys.contains(f[5])) {
                    continue;
                }
                long pid = Long.parseLong(f[4]);
                if (pid > 0 && !pids.contains(pid)) {
                    pids.add(pid);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
        return pids;
    }

    /** {@code major:minor:inode} as /proc/locks prints it, if the file exists and has one. */
    private static Optional<String> key(Path file) {
        try {
            long dev = (Long) Files.getAttribute(file, "unix:dev");
            long ino = (Long) Files.getAttribute(file, "unix:ino");
            long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
            return Optional.of(String.format(Locale.ROOT, "%02x:%02x:%d", major, minor, ino));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String command(long pid) {
        try {
            return " (" + Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip() + ")";
        } catch (IOException e) {
            return "";
        }
    }
}
