package dev.tether.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds where this process may create cgroup v2 directories: the cgroup2 mount (from
 * {@code /proc/self/mountinfo}, so hybrid layouts with {@code /sys/fs/cgroup/unified} work) joined
 * with this process's own cgroup (from {@code /proc/self/cgroup}). Usable when a probe directory
 * can be created there: as root, in a delegated subtree, or in a container with its own namespace.
 */
final class Cgroups {
    /** Prefix of every per-instance cgroup Tether creates. */
    static final String INSTANCE_PREFIX = "tether-";

    private Cgroups() {}

    /** The directory under which this process can create session cgroups, if any. */
    static Optional<Path> writableBase() {
        Optional<Path> base = mountPoint().flatMap(mount -> ownCgroup().map(own -> mount.resolve(own.substring(1))));
        return base.filter(Cgroups::canCreateIn);
    }

    static Optional<Path> mountPoint() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] after = line.substring(dash + 3).split(" ");
                if (after.length > 0 && after[0].equals("cgroup2")) {
                    String[] before = line.substring(0, dash).split(" ");
                    return Optional.of(Path.of(unescape(before[4])));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** This process's cgroup v2 path, e.g. {@code /} or {@code /user.slice/...}. */
    static Optional<String> ownCgroup() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                if (line.startsWith("0::")) {
                    return Optional.of(line.substring(3));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The cgroup v2 path of any process (e.g. a zombie), if readable. */
    static Optional<String> cgroupOf(long pid) {
        byte[] data = ProcFs.read(Path.of("/proc", Long.toString(pid), "cgroup"));
        if (data == null) {
            return Optional.empty();
        }
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("0::")) {
                return Optional.of(line.substring(3));
            }
        }
        return Optional.empty();
    }

    private static boolean canCreateIn(Path base) {
        if (!Files.isDirectory(base) || !Files.exists(base.resolve("cgroup.procs"))) {
            return false;
        }
        Path probe = base.resolve(INSTANCE_PREFIX + "probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(probe);
            boolean usable = Files.isWritable(probe.resolve("cgroup.procs")) && Files.exists(probe.resolve("cgroup.kill"));
            Files.delete(probe);
            return usable;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Reads {@code key value} lines such as {@code cgroup.events}; the value of one key. */
    static Optional<String> keyedValue(Path file, String key) {
        byte[] data = ProcFs.read(file);
        if (data == null) {
            return Optional.empty();
        }
        for (String line : new String(data, StandardCharsets.US_ASCII).split("\n")) {
            if (line.startsWith(key + " ")) {
                return Optional.of(line.substring(key.length() + 1).trim());
            }
        }
        return Optional.empty();
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    /**
     * Every cgroup directory at or below {@code dir}, each after all of its descendants (the order
     * rmdir needs). Another process (a guardian, another supervisor's reconciliation) may be
     * removing the tree meanwhile: a subdirectory that vanishes is left out, as it has no members
     * left; only {@code dir} itself missing is an error ({@link NoSuchFileException}).
     */
    static List<Path> treeDeepestFirst(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        collect(dir, true, out);
        return out;
    }

    private static void collect(Path dir, boolean top, List<Path> out) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
            ds.forEach(children::add);
        } catch (NoSuchFileException e) {
            if (top) {
                throw e;
            }
            return;
        } catch (DirectoryIteratorException e) {
            if (e.getCause() instanceof NoSuchFileException gone) {
                if (top) {
                    throw gone;
                }
                return;
            }
            throw e.getCause();
        }
        for (Path child : children) {
            collect(child, false, out);
        }
        out.add(dir);
    }

    private static String unescape(String mountField) {
        return mountField.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
