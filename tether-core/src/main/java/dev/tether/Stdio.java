package dev.tether;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one of a process's standard streams goes. {@link Pipe} is read (or written) by the caller
 * through {@link Session#stdout()}, {@link Session#stderr()} or {@link Session#stdin()}; a pipe
 * nobody drains fills up (64 KiB) and then blocks the writer, as with {@link ProcessBuilder}.
 */
public sealed interface Stdio {

    /** The stream the supervisor itself has. */
    record Inherit() implements Stdio {}

    /** {@code /dev/null}. */
    record Discard() implements Stdio {}

    /** A file: read from for stdin; for stdout/stderr created if missing, truncated unless {@code append}. */
    record File(Path path, boolean append) implements Stdio {
        public File {
            Objects.requireNonNull(path, "path");
            path = path.toAbsolutePath().normalize();
        }
    }

    /** A pipe to the caller. */
    record Pipe() implements Stdio {}

    static Stdio inherit() {
        return new Inherit();
    }

    static Stdio discard() {
        return new Discard();
    }

    static Stdio file(Path path) {
        return new File(path, false);
    }

    static Stdio appendTo(Path path) {
        return new File(path, true);
    }

    static Stdio pipe() {
        return new Pipe();
    }
}
