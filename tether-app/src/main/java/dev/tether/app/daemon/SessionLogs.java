package dev.tether.app.daemon;

import dev.tether.internal.Ids;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each session's output — stdout and stderr, appended to one file as with {@code 2>&1} — kept in
 * {@code $TETHER_HOME/logs}. A file is named before the spawn (when the session id is not known
 * yet) and linked as {@code <session id>.log} right after, so it can be found by id after the
 * daemon restarts. Size-capped by copy-and-truncate: past {@link #cap} bytes the file is copied to
 * {@code .1} (replacing the previous one) and truncated; the session keeps appending. Limit: lines
 * written between the copy and the truncation (a few milliseconds) are lost.
 */
final class SessionLogs {
    private static final Logger log = LoggerFactory.getLogger(SessionLogs.class);
    static final long DEFAULT_CAP = 8L * 1024 * 1024;

    private final Path dir;
    private final long cap;

    SessionLogs(Path dir, long cap) {
        this.dir = dir;
        this.cap = cap;
    }

    Path dir() {
        return dir;
    }

    /** A fresh file for a session about to start. */
    Path newFile() {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve("run-" + UUID.randomUUID() + ".log");
            Files.createFile(f);
            return f;
        } catch (IOException e) {
            throw new ApiException(500, "log_unavailable", "cannot create a log file in " + dir + ": " + e.getMessage());
        }
    }

    /** Links the file under the session's id. */
    void link(String sessionId, Path file) {
        try {
            Path byId = byId(sessionId);
            Files.deleteIfExists(byId);
            Files.createSymbolicLink(byId, file.getFileName());
        } catch (IOException e) {
            log.warn("cannot link log {} as {}: {}", file, sessionId, e.getMessage());
        }
    }

    /** The log of a session by id (a link to its file), whether or not it exists. */
    Path byId(String sessionId) {
        return dir.resolve(sessionId + ".log");
    }

    /** The last {@code lines} lines (of the file, and of its rotated copy if the file has fewer). */
    List<String> tail(Path file, int lines) {
        return tail(file, lines, Long.MAX_VALUE);
    }

    /** The last {@code lines} lines among the first {@code upTo} bytes of the file (and its rotated copy). */
    List<String> tail(Path file, int lines, long upTo) {
        Deque<String> out = new ArrayDeque<>(Math.max(lines, 1));
        if (lines == 0) {
            return List.of();
        }
        for (Path p : List.of(rotated(file), file)) {
            long limit = p.equals(file) ? upTo : Long.MAX_VALUE;
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    new LimitedStream(Files.newInputStream(p), limit), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (out.size() == lines) {
                        out.removeFirst();
                    }
                    out.addLast(line);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // not there (no rotation yet, or no output)
            }
        }
        return new ArrayList<>(out);
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class LimitedStream extends java.io.FilterInputStream {
        private long left;

        LimitedStream(java.io.InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /**
     * Writes what is appended to {@code file} to {@code out} until {@code ended} says the session is
     * over and the file is drained, or the reader goes away.
     */
    void follow(Path file, long from, OutputStream out, BooleanSupplier ended) throws IOException {
        long pos = from;
        byte[] buf = new byte[16 * 1024];
        while (true) {
            boolean over = ended.getAsBoolean();
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (size < pos) {
                pos = 0; // truncated by the cap
            }
            if (size > pos) {
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                    raf.seek(pos);
                    int n;
                    while (pos < size && (n = raf.read(buf, 0, (int) Math.min(buf.length, size - pos))) > 0) {
                        out.write(buf, 0, n);
                        pos += n;
                    }
                }
                out.flush();
            } else if (over) {
                return;
            } else {
                out.flush(); // also finds a reader that went away
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
        }
    }

    long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Rotates {@code file} if it has grown past the cap. */
    void capSize(Path file) {
        try {
            if (Files.size(file) <= cap) {
                return;
            }
            Files.copy(file, rotated(file), StandardCopyOption.REPLACE_EXISTING);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(0);
            }
        } catch (IOException e) {
            log.debug("cannot cap {}: {}", file, e.getMessage());
        }
    }

    /** Removes the file of a session that never started. */
    void discard(Path file) {
        for (Path p : List.of(file, rotated(file))) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                log.debug("cannot remove {}: {}", p, e.getMessage());
            }
        }
    }

    /** The file a session's log link points to, if the link is there. */
    Path resolve(String sessionId) {
        Path link = byId(sessionId);
        try {
            if (Files.isSymbolicLink(link)) {
                return dir.resolve(Files.readSymbolicLink(link));
            }
        } catch (IOException e) {
            // fall through
        }
        return Files.exists(link, LinkOption.NOFOLLOW_LINKS) ? link : null;
    }

    /** The session ids that have a log link here. */
    List<String> linkedIds() {
        List<String> out = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(dir, "*.log")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                String id = name.substring(0, name.length() - ".log".length());
                if (Files.isSymbolicLink(p) && Ids.isValid(id)) {
                    out.add(id);
                }
            }
        } catch (NoSuchFileException e) {
            // no log written yet
        } catch (IOException e) {
            log.warn("cannot list the logs in {}: {}", dir, e.getMessage());
        }
        return out;
    }

    /** Removes a session's log: the file its link points to, the rotated copy, then the link. */
    void remove(String sessionId) {
        Path file = resolve(sessionId);
        if (file != null && !file.equals(byId(sessionId))) {
            discard(file);
        }
        try {
            Files.deleteIfExists(byId(sessionId));
        } catch (IOException e) {
            log.debug("cannot remove {}: {}", byId(sessionId), e.getMessage());
        }
    }

    private static Path rotated(Path file) {
        return file.resolveSibling(file.getFileName() + ".1");
    }
}
