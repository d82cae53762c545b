package dev.tether;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PID file that knows who wrote it: the holder's identity (boot id, pid, start time), command
 * and attributes (e.g. the daemon's port), under an exclusive lock held for the holder's life.
 * The kernel drops the lock when the holder dies, whatever killed it, so a file whose lock can be
 * taken is stale — its process is dead or its pid now belongs to another program — and is replaced.
 * Limit: within one JVM, reading the file through another channel would release the lock (POSIX
 * record-lock semantics); {@link #inspect} is for other processes.
 */
public final class PidFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PidFile.class);

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    /** Who holds a PID file. */
    public record Holder(ProcessId id, Instant startedAt, String command, Map<String, String> attributes) {
        public long pid() {
            return id.pid();
        }
    }

    /** The PID file is held by a live process; it was left alone. */
    public static final class HeldException extends TetherException {
        private final transient Holder holder;

        HeldException(Path file, Holder holder) {
            super("a live process holds " + file + ": pid " + holder.pid() + " (" + holder.command() + "), started "
                    + holder.startedAt() + "; stop it first, or use another home");
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }
    }

    private PidFile(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the PID file for this process, replacing a stale one.
     *
     * @throws HeldException naming the live holder
     */
    public static PidFile acquire(Path file, Map<String, String> attributes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                Holder h = parse(read(ch)).orElse(null);
                ch.close();
                if (h == null) {
                    throw new TetherException(file + " is locked by another process but holds no identity; remove it if no Tether runs");
                }
                throw new HeldException(file, h);
            }
            parse(read(ch)).ifPresent(stale -> log.info("removed stale PID file {} (pid {} is {})", file, stale.pid(),
                    ProcessId.of(stale.pid()).isPresent() ? "now another program" : "dead"));
            ProcessId me = ProcessId.current();
            Properties p = new Properties();
            p.setProperty("pid", Long.toString(me.pid()));
            p.setProperty("start_time", Long.toString(me.startTime()));
            p.setProperty("boot_id", me.bootId());
            p.setProperty("started_at", ProcessHandle.current().info().startInstant().orElse(Instant.now()).toString());
            p.setProperty("command", ProcessHandle.current().info().commandLine().orElse("java"));
            attributes.forEach((k, v) -> p.setProperty("attr." + k, v));
            StringWriter w = new StringWriter();
            p.store(w, "Tether PID file: held (locked) while the process lives");
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(w.toString().getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return new PidFile(file, ch, lock);
        } catch (IOException e) {
            throw new TetherException("cannot take PID file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The live holder of a PID file, if any. A file nobody holds (stale) is removed. Only the lock
     * decides liveness; the identity in the file is checked too, so a recycled pid is never reported.
     */
    public static Optional<Holder> inspect(Path file) {
        return probe(file, true);
    }

    /** The live holder of a PID file, if any, changing nothing (a stale file is left where it is). */
    public static Optional<Holder> peek(Path file) {
        return probe(file, false);
    }

    private static Optional<Holder> probe(Path file, boolean removeStale) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("this JVM holds " + file + "; inspect it from another process");
            }
            if (lock == null) {
                return parse(read(ch)).filter(h -> h.id().isAlive());
            }
            if (removeStale) {
                Optional<Holder> stale = parse(read(ch));
                Files.deleteIfExists(file);
                stale.ifPresent(h -> log.info("removed stale PID file {} (pid {})", file, h.pid()));
            }
            lock.release();
            return Optional.empty();
        } catch (IOException e) {
            throw new TetherException("cannot read PID file " + file + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** Releases the lock and removes the file. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.warn("cannot remove PID file {}: {}", path, e.getMessage());
        }
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 64 * 1024));
        ch.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static Optional<Holder> parse(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
            ProcessId id = new ProcessId(p.getProperty("boot_id", ""), Long.parseLong(p.getProperty("pid")),
                    Long.parseLong(p.getProperty("start_time")));
            Map<String, String> attrs = new LinkedHashMap<>();
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("attr.")) {
                    attrs.put(k.substring(5), p.getProperty(k));
                }
            }
            return Optional.of(new Holder(id, Instant.parse(p.getProperty("started_at")), p.getProperty("command", "?"), attrs));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
