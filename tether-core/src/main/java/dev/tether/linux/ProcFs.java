package dev.tether.linux;

import dev.tether.ProcessId;
import dev.tether.ProcessInfo;
import dev.tether.ProcessSpec;
import dev.tether.internal.Identities;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads what Tether needs from {@code /proc}: a process's stat line, its initial environment,
 * its command line, its owner. Pure Java (no native access), so the portable backend can use it
 * on Linux too. Every read tolerates the process vanishing meanwhile.
 */
public final class ProcFs {
    private static final Path PROC = Path.of("/proc");
    private static final int INITIAL_BUFFER = 16 * 1024;
    private static final ThreadLocal<byte[][]> BUFFER = ThreadLocal.withInitial(() -> new byte[][] {new byte[INITIAL_BUFFER]});

    private ProcFs() {}

    /** Whether a Linux-style {@code /proc} is mounted here. */
    public static boolean available() {
        return Files.isReadable(PROC.resolve("self/stat"));
    }

    /** The fields of {@code /proc/<pid>/stat} Tether uses. */
    public record Stat(long pid, char state, long parentPid, long processGroup, long session, long startTime, String name) {
        /** Zombie ({@code Z}) or dead ({@code X}): exited, only a wait can remove it. */
        public boolean isZombie() {
            return state == 'Z' || state == 'X';
        }

        /** Stopped by a signal ({@code T}) or traced ({@code t}). */
        public boolean isStopped() {
            return state == 'T' || state == 't';
        }
    }

    public static Optional<Stat> stat(long pid) {
        return stat(pid, PROC.resolve(Long.toString(pid)).resolve("stat"));
    }

    /**
     * {@link #stat}, for a pid that is often gone (an exited main, an identity to check): a gone
     * process then costs a lookup, not the exception a failed open throws (several times dearer);
     * a present one costs that lookup more.
     */
    public static Optional<Stat> statIfPresent(long pid) {
        Path path = PROC.resolve(Long.toString(pid)).resolve("stat");
        return Files.exists(path) ? stat(pid, path) : Optional.empty();
    }

    private static Optional<Stat> stat(long pid, Path path) {
        byte[] data = read(path);
        if (data == null) {
            return Optional.empty();
        }
        return parseStat(pid, new String(data, StandardCharsets.ISO_8859_1));
    }

    /**
     * Whether a live (not zombie) process shares this process's address space, which only a
     * {@code vfork}-style child that has not exec'd yet does: its stack start and environment
     * address ({@code /proc/<pid>/stat} fields 28 and 50) are this process's own.
     */
    static boolean sharesAddressSpaceWithSelf(long pid) {
        long[] mine = SelfLayout.VALUE;
        byte[] data = read(PROC.resolve(Long.toString(pid)).resolve("stat"));
        if (mine == null || data == null) {
            return false;
        }
        String line = new String(data, StandardCharsets.ISO_8859_1);
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length() || line.charAt(close + 2) == 'Z') {
            return false;
        }
        long[] f = fields(line, close + 2, 50);
        return f != null && f[28] == mine[0] && f[50] == mine[1] && mine[0] != 0;
    }

    /** This process's stack start and environment address, read once; null if unreadable. */
    private static final class SelfLayout {
        static final long[] VALUE = read();

        private static long[] read() {
            byte[] data = ProcFs.read(PROC.resolve("self/stat"));
            if (data == null) {
                return null;
            }
            String line = new String(data, StandardCharsets.ISO_8859_1);
            long[] f = fields(line, line.lastIndexOf(')') + 2, 50);
            return f == null ? null : new long[] {f[28], f[50]};
        }
    }

    /** Parses a stat line, splitting at the last ')' because the command name may hold spaces and parentheses. */
    static Optional<Stat> parseStat(long pid, String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || close + 2 >= line.length()) {
            return Optional.empty();
        }
        // Numbered as in proc(5): 3 state, 4 ppid, 5 pgrp, 6 session, 22 starttime.
        long[] f = fields(line, close + 2, 22);
        if (f == null) {
            return Optional.empty();
        }
        return Optional.of(new Stat(pid, line.charAt(close + 2), f[4], f[5], f[6], f[22], line.substring(open + 1, close)));
    }

    /**
     * The numeric fields 4..{@code last} of a stat line whose field 3 (the state letter) starts at
     * {@code from}; index i holds field i. Null when the line is short or malformed. Parsed in place:
     * a scan reads thousands of these, and splitting each line into strings dominated its cost.
     */
    private static long[] fields(String line, int from, int last) {
        long[] out = new long[last + 1];
        int n = line.length();
        int i = from;
        while (i < n && line.charAt(i) != ' ') {
            i++;
        }
        for (int field = 4; field <= last; field++) {
            if (i >= n) {
                return null;
            }
            i++;
            boolean negative = i < n && line.charAt(i) == '-';
            if (negative) {
                i++;
            }
            int start = i;
            long v = 0;
            while (i < n && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
                v = v * 10 + (line.charAt(i) - '0');
                i++;
            }
            if (i == start || (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\n')) {
                return null;
            }
            out[field] = negative ? -v : v;
        }
        return out;
    }

    /** A live process as {@code /proc} shows it now; empty once it is gone or a zombie. */
    public static Optional<ProcessInfo> describe(long pid) {
        return stat(pid).filter(s -> !s.isZombie()).map(st -> new ProcessInfo(
                new ProcessId(Identities.bootId(), pid, st.startTime()), st.parentPid(),
                commandLine(pid).orElse("[" + st.name() + "]"), uid(pid).orElse(-1),
                environValue(pid, ProcessSpec.SESSION_MARKER), environValue(pid, ProcessSpec.INSTANCE_MARKER),
                environValue(pid, ProcessSpec.SUPERVISOR_MARKER)));
    }

    private static final long PAGE_SIZE = 4096;

    /** CPU and memory of one process, from {@code /proc/<pid>/stat}. */
    public record Usage(long startTime, long cpuTicks, long rssBytes) {}

    /** Utime + stime (fields 14, 15) and RSS pages (field 24) of a live process. */
    public static Optional<Usage> usage(long pid) {
        byte[] data = read(PROC.resolve(Long.toString(pid)).resolve("stat"));
        if (data == null) {
            return Optional.empty();
        }
        String line = new String(data, StandardCharsets.ISO_8859_1);
        int close = line.lastIndexOf(')');
        long[] f = close < 0 || close + 2 >= line.length() ? null : fields(line, close + 2, 24);
        return f == null ? Optional.empty() : Optional.of(new Usage(f[22], f[14] + f[15], f[24] * PAGE_SIZE));
    }

    /** Every pid in {@code /proc} now (threads excluded). */
    public static long[] pids() {
        long[] out = new long[512];
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String s = p.getFileName().toString();
                char c = s.charAt(0);
                if (c < '1' || c > '9') {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = pid;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Whether the environment the process was exec'ed with holds exactly {@code entry}
     * (e.g. {@code TETHER_SESSION=abc}). False when unreadable (zombies, kernel threads, other users).
     */
    public static boolean environContains(long pid, byte[] entry) {
        Path path = PROC.resolve(Long.toString(pid)).resolve("environ");
        int len = readInto(path);
        if (len <= 0) {
            return false;
        }
        return containsEntry(BUFFER.get()[0], len, entry);
    }

    /** The value of one variable in the process's initial environment, if readable and present. */
    public static Optional<String> environValue(long pid, String name) {
        Path path = PROC.resolve(Long.toString(pid)).resolve("environ");
        int len = readInto(path);
        if (len <= 0) {
            return Optional.empty();
        }
        byte[] buf = BUFFER.get()[0];
        byte[] prefix = (name + "=").getBytes(StandardCharsets.UTF_8);
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || buf[i] == 0) {
                if (i - start >= prefix.length && Arrays.equals(buf, start, start + prefix.length, prefix, 0, prefix.length)) {
                    return Optional.of(new String(buf, start + prefix.length, i - start - prefix.length, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        return Optional.empty();
    }

    static boolean containsEntry(byte[] buf, int len, byte[] entry) {
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || buf[i] == 0) {
                if (i - start == entry.length && Arrays.equals(buf, start, i, entry, 0, entry.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** The command line, arguments joined by spaces; {@code [name]} when empty (kernel threads, zombies). */
    public static Optional<String> commandLine(long pid) {
        byte[] data = read(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
        if (data == null) {
            return Optional.empty();
        }
        int end = data.length;
        while (end > 0 && data[end - 1] == 0) {
            end--;
        }
        if (end == 0) {
            return stat(pid).map(s -> "[" + s.name() + "]");
        }
        for (int i = 0; i < end; i++) {
            if (data[i] == 0) {
                data[i] = ' ';
            }
        }
        return Optional.of(new String(data, 0, end, StandardCharsets.UTF_8));
    }

    /** The real user id of the process, from {@code /proc/<pid>/status}. */
    public static OptionalInt uid(long pid) {
        byte[] data = read(PROC.resolve(Long.toString(pid)).resolve("status"));
        if (data == null) {
            return OptionalInt.empty();
        }
        for (String line : new String(data, StandardCharsets.ISO_8859_1).split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] f = line.substring(4).trim().split("\\s+");
                try {
                    return OptionalInt.of(Integer.parseInt(f[0]));
                } catch (NumberFormatException e) {
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }

    /** Children of every thread of this process (the kernel lists them per task). */
    public static List<Long> ownChildren() {
        return children("self").orElse(List.of());
    }

    /** Children of every thread of a process; empty when it is gone (or its task list unreadable). */
    static Optional<List<Long>> children(String pid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(pid).resolve("task"))) {
            for (Path task : tasks) {
                byte[] data = read(task.resolve("children"));
                if (data != null) {
                    addPids(data, out);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    /** Children of one thread of this process; empty when the thread is gone. */
    static Optional<List<Long>> taskChildren(long tid) {
        byte[] data = read(PROC.resolve("self/task").resolve(Long.toString(tid)).resolve("children"));
        if (data == null) {
            return Optional.empty();
        }
        List<Long> out = new ArrayList<>();
        addPids(data, out);
        return Optional.of(out);
    }

    /** The stat line of one thread of this process; empty when it is gone. */
    static Optional<Stat> taskStat(long tid) {
        byte[] data = read(PROC.resolve("self/task").resolve(Long.toString(tid)).resolve("stat"));
        return data == null ? Optional.empty() : parseStat(tid, new String(data, StandardCharsets.ISO_8859_1));
    }

    private static void addPids(byte[] data, List<Long> out) {
        int v = -1;
        for (byte b : data) {
            if (b >= '0' && b <= '9') {
                v = (v < 0 ? 0 : v * 10) + (b - '0');
            } else if (v >= 0) {
                out.add((long) v);
                v = -1;
            }
        }
        if (v >= 0) {
            out.add((long) v);
        }
    }

    /**
     * Every live process at or below {@code roots} (this process's children or descendants),
     * walking the children lists down; empty when the walk saw a listed process exit or turn
     * zombie meanwhile (its children may have been re-parented behind the walk's back), so the
     * caller must look another way.
     */
    public static Optional<List<Stat>> descendantsStable(List<Long> roots) {
        List<Stat> out = new ArrayList<>();
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            Optional<Stat> st = stat(pid);
            if (st.isEmpty() || st.get().isZombie()) {
                return Optional.empty();
            }
            Optional<List<Long>> kids = children(Long.toString(pid));
            if (kids.isEmpty()) {
                return Optional.empty();
            }
            out.add(st.get());
            todo.addAll(kids.get());
        }
        return Optional.of(out);
    }

    /** This boot's id, {@code /proc/sys/kernel/random/boot_id}. */
    public static String bootId() {
        byte[] data = read(PROC.resolve("sys/kernel/random/boot_id"));
        return data == null ? "" : new String(data, StandardCharsets.US_ASCII).trim();
    }

    /** Reads a whole small file; null when it cannot be read (gone, forbidden). */
    public static byte[] read(Path path) {
        int len = readInto(path);
        return len < 0 ? null : Arrays.copyOf(BUFFER.get()[0], len);
    }

    /** Reads a whole file into this thread's buffer (grown as needed); -1 when unreadable. */
    private static int readInto(Path path) {
        byte[][] holder = BUFFER.get();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            int len = 0;
            while (true) {
                byte[] buf = holder[0];
                if (len == buf.length) {
                    holder[0] = buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int r = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
                if (r < 0) {
                    return len;
                }
                len += r;
            }
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | SecurityException e) {
            return -1;
        }
    }
}
