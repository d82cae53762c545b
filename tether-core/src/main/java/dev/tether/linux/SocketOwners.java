package dev.tether.linux;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds which processes hold a socket, by its inode: a process holds it when one of its
 * {@code /proc/<pid>/fd/*} links reads {@code socket:[inode]}. After a fork several processes hold
 * the same socket, and each is found. Processes whose descriptors this user may not read (other
 * users', without root) are not seen; processes that vanish mid-scan are skipped.
 */
public final class SocketOwners {
    private static final Path PROC = Path.of("/proc");
    private static final String SOCKET_PREFIX = "socket:[";
    private static final int DECIMAL = 10;

    private SocketOwners() {}

    /** For each of {@code inodes}, the pids holding it now, in {@code /proc} order; inodes nobody holds are absent. */
    public static Map<Long, Set<Long>> of(Set<Long> inodes) {
        Map<Long, Set<Long>> out = new HashMap<>();
        if (inodes.isEmpty()) {
            return out;
        }
        for (long pid : ProcFs.pids()) {
            for (long inode : socketInodes(pid)) {
                if (inodes.contains(inode)) {
                    out.computeIfAbsent(inode, k -> new LinkedHashSet<>()).add(pid);
                }
            }
        }
        return out;
    }

    /** The inodes of every socket the process holds; empty when it is gone or unreadable. */
    static List<Long> socketInodes(long pid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    parseSocketLink(Files.readSymbolicLink(fd).toString()).ifPresent(out::add);
                } catch (IOException | SecurityException e) {
                    // the descriptor was closed meanwhile
                }
            }
        } catch (IOException | DirectoryIteratorException | SecurityException e) {
            // gone, a zombie, or another user's process
        }
        return out;
    }

    /** The inode in a {@code socket:[inode]} link target; empty for any other target. */
    static Optional<Long> parseSocketLink(String target) {
        if (!target.startsWith(SOCKET_PREFIX) || !target.endsWith("]")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(target, SOCKET_PREFIX.length(), target.length() - 1, DECIMAL));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
