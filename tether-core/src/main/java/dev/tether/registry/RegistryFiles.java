package dev.tether.registry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The registry's files on disk: directories Tether creates are {@code 0700}, the database and its
 * {@code -wal}/{@code -shm} files {@code 0600}, since they name every command a user ran.
 * Checks access before SQLite does, so a read-only file fails with a clear error at open.
 */
final class RegistryFiles {
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private RegistryFiles() {}

    /** Creates the directories and the file if missing, and checks both can be written. */
    static void prepare(Path file) {
        Path dir = file.getParent();
        createDirectories(file, dir);
        if (!Files.isDirectory(dir)) {
            throw RegistryErrors.io(file, dir + " is not a directory");
        }
        if (!Files.isWritable(dir)) {
            throw RegistryErrors.readOnly(file, "its directory " + dir + " is not writable", null);
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            checkWritable(file);
        } else {
            create(file);
        }
        restrict(file);
    }

    /** Sets mode 0600 on the database and on its {@code -wal} and {@code -shm} files, where present. */
    static void restrict(Path file) {
        if (!POSIX) {
            return;
        }
        for (Path f : List.of(file, sibling(file, "-wal"), sibling(file, "-shm"))) {
            try {
                if (Files.exists(f) && !Files.getPosixFilePermissions(f).equals(FILE_MODE)) {
                    Files.setPosixFilePermissions(f, FILE_MODE);
                }
            } catch (IOException e) {
                throw RegistryErrors.io(file, "cannot set mode 0600 on " + f + ": " + describe(e), e);
            }
        }
    }

    static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static void createDirectories(Path file, Path dir) {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                if (POSIX) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
                    Files.setPosixFilePermissions(p, DIRECTORY_MODE); // the umask may have narrowed it
                } else {
                    Files.createDirectory(p);
                }
            } catch (FileAlreadyExistsException raced) {
                // another opener made it first; its mode is its business
            } catch (IOException e) {
                String what = "cannot create directory " + p + ": " + describe(e);
                throw deniedByTheSystem(e) ? RegistryErrors.readOnly(file, what, e) : RegistryErrors.io(file, what, e);
            }
        }
    }

    private static void create(Path file) {
        try {
            if (POSIX) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            checkWritable(file);
        } catch (IOException e) {
            String what = "cannot create it: " + describe(e);
            throw deniedByTheSystem(e) ? RegistryErrors.readOnly(file, what, e) : RegistryErrors.io(file, what, e);
        }
    }

    /** Opens the file for writing, which is what SQLite will do; as root only this sees chattr +i. */
    private static void checkWritable(Path file) {
        if (!Files.isRegularFile(file)) {
            throw RegistryErrors.io(file, "it is not a regular file");
        }
        try {
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            String what = "opening it for writing failed: " + describe(e);
            throw deniedByTheSystem(e) ? RegistryErrors.readOnly(file, what, e) : RegistryErrors.io(file, what, e);
        }
    }

    /** EACCES, EPERM (e.g. chattr +i, which stops even root) or EROFS: the system refuses writes here. */
    private static boolean deniedByTheSystem(IOException e) {
        if (e instanceof AccessDeniedException) {
            return true;
        }
        String reason = e instanceof FileSystemException fse ? String.valueOf(fse.getReason()) : "";
        return reason.contains("not permitted") || reason.contains("Read-only file system");
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }
}
