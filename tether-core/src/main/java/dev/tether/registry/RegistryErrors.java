package dev.tether.registry;

import dev.tether.registry.RegistryException.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/** Builds registry errors whose messages name the file, say what is wrong and how to fix it. */
final class RegistryErrors {
    // SQLite primary result codes (https://www.sqlite.org/rescode.html).
    private static final int SQLITE_PERM = 3;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_AUTH = 23;
    private static final int SQLITE_NOTADB = 26;
    static final int SQLITE_CONSTRAINT = 19;

    private RegistryErrors() {}

    /** The SQLite primary result code of {@code e}. */
    static int code(SQLException e) {
        return e.getErrorCode() & 0xff;
    }

    static RegistryException translate(Path file, Duration busyTimeout, SQLException e) {
        return switch (code(e)) {
            case SQLITE_BUSY, SQLITE_LOCKED -> locked(file, busyTimeout, e);
            case SQLITE_READONLY, SQLITE_PERM, SQLITE_AUTH ->
                    readOnly(file, "SQLite refused to write: " + e.getMessage(), e);
            case SQLITE_CORRUPT, SQLITE_NOTADB -> corrupt(file, e.getMessage(), e);
            case SQLITE_FULL -> io(file, "the disk is full (" + e.getMessage() + "); free space on it", e);
            default -> io(file, e.getMessage(), e);
        };
    }

    static RegistryException locked(Path file, Duration busyTimeout, Throwable cause) {
        return new RegistryException(Kind.LOCKED, file, "registry " + file + " is locked by "
                + LockHolders.describe(file) + ", which has held its write lock for more than "
                + busyTimeout.toMillis() + " ms: wait for it to finish, or stop it if it is stuck", cause);
    }

    static RegistryException readOnly(Path file, String reason, Throwable cause) {
        return new RegistryException(Kind.READ_ONLY, file, "registry " + file + " is read-only for "
                + currentUser() + " (" + reason + "): Tether needs read and write access to the file and to its "
                + "directory " + file.getParent() + " (for the -wal and -shm files). Fix them (chmod u+rw "
                + file + "; chattr -i if it is immutable; the same for the directory, with u+rwx) or set "
                + "TETHER_HOME to a writable directory", cause);
    }

    static RegistryException corrupt(Path file, String detail, Throwable cause) {
        return new RegistryException(Kind.CORRUPT, file, "registry " + file
                + " is not a SQLite database or is corrupt (" + detail + "): move it aside (mv " + file + " "
                + file + ".corrupt, and the same for " + file.getFileName() + "-wal and "
                + file.getFileName() + "-shm if present) and Tether will create a new one; sessions recorded "
                + "only in the old file will not be reconciled", cause);
    }

    static RegistryException notTetherRegistry(Path file, int applicationId) {
        return new RegistryException(Kind.CORRUPT, file, "registry " + file
                + " is a SQLite database but not a Tether registry (application_id 0x"
                + Integer.toHexString(applicationId) + "): move it aside (mv " + file + " " + file
                + ".other) and Tether will create a new one, or set TETHER_HOME to another directory", null);
    }

    static RegistryException newerSchema(Path file, int found, int known) {
        return new RegistryException(Kind.NEWER_SCHEMA, file, "registry " + file + " has schema version "
                + found + ", but this Tether knows versions up to " + known + ": it was written by a newer "
                + "Tether. Upgrade Tether, or set TETHER_HOME to another directory to use a separate registry",
                null);
    }

    static RegistryException io(Path file, String what) {
        return io(file, what, null);
    }

    static RegistryException io(Path file, String what, Throwable cause) {
        return new RegistryException(Kind.IO, file, "cannot use registry " + file + ": " + what
                + ". Check that it is a regular file on a working disk, or set TETHER_HOME to another directory",
                cause);
    }

    /** Who we run as, for messages about permissions. */
    private static String currentUser() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return "uid " + uid + " (" + System.getProperty("user.name") + ")";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "user " + System.getProperty("user.name");
        }
    }
}
