package dev.tether.linux;

import dev.tether.ProcessId;
import dev.tether.TetherException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;

/**
 * The session mains a guardian must know about when there is no cgroup, kept in a private file
 * (mode 0600) as {@code main PID START} and {@code gone PID START} lines that the guardian reads
 * only once the supervisor has died. Appending a line is one write: no process wakes per session
 * start or end, as it did when every change went down the guardian's pipe. Compacted to the live
 * mains when it grows. The data survives the writer's death (it is in the page cache); a torn
 * last line is ignored by the reader.
 */
final class MainsFile implements AutoCloseable {
    private static final long COMPACT_ABOVE = 256 * 1024;

    private final Path path;
    private FileChannel out;
    private long size; // what this object wrote since the file was (re)created: only it writes there

    private MainsFile(Path path, FileChannel out) {
        this.path = path;
        this.out = out;
    }

    static MainsFile create(String instanceId) {
        try {
            Path p = Files.createTempFile("tether-guardian-" + instanceId + "-", ".mains",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return new MainsFile(p, FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new TetherException("cannot create the guardian's list of session mains: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    void added(ProcessId main) {
        append("main " + main.pid() + " " + main.startTime() + "\n");
    }

    /** A main ended; {@code live} is every main still running, for compaction. */
    void removed(ProcessId main, Collection<ProcessId> live) {
        append("gone " + main.pid() + " " + main.startTime() + "\n");
        try {
            if (size > COMPACT_ABOVE) {
                compact(live);
            }
        } catch (IOException e) {
            // keep appending; the reader copes with a long file
        }
    }

    private void append(String line) {
        try {
            ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                size += out.write(b);
            }
        } catch (IOException e) {
            throw new TetherException("cannot record a session main for the guardian in " + path + ": " + e.getMessage(), e);
        }
    }

    /** Rewrites the file to the live mains; the rename is atomic, so the guardian reads one or the other. */
    private void compact(Collection<ProcessId> live) throws IOException {
        Path tmp = Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder sb = new StringBuilder();
        for (ProcessId m : live) {
            sb.append("main ").append(m.pid()).append(' ').append(m.startTime()).append('\n');
        }
        Files.writeString(tmp, sb, StandardCharsets.US_ASCII);
        size = sb.length();
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        out.close();
        out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** The supervisor closed normally: the list is of no more use. */
    @Override
    public void close() {
        try {
            out.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale file in the temp directory, harmless
        }
    }
}
