package dev.tether.registry;

import dev.tether.TetherException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The registry file could not be opened, read or written. The message names the file, says what
 * is wrong with it and how to fix it; {@link #kind()} says the same for code.
 */
public class RegistryException extends TetherException {

    /** What is wrong with the registry file. */
    public enum Kind {
        /** Another connection holds the write lock for longer than the busy timeout. */
        LOCKED,
        /** The file or its directory cannot be written by this user. */
        READ_ONLY,
        /** The file is not a SQLite database, not a Tether registry, or is damaged. */
        CORRUPT,
        /** The file was written by a newer Tether whose schema this one does not know. */
        NEWER_SCHEMA,
        /** Any other failure to read or write it: a missing directory, a full disk, an I/O error. */
        IO
    }

    private final Kind kind;
    private final Path file;

    public RegistryException(Kind kind, Path file, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.file = Objects.requireNonNull(file, "file");
    }

    public Kind kind() {
        return kind;
    }

    /** The registry database file. */
    public Path file() {
        return file;
    }
}
