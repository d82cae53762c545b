package dev.tether.internal;

import dev.tether.InvalidSpecException;
import dev.tether.TetherException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Session directories under one base: created (mode 0700) before the session's process starts,
 * removed after its stop. A name that would leave the base — {@code ..}, an absolute path, or a
 * symlink anywhere on the way — is refused; removal never follows a symlink out of the directory.
 */
public final class SessionDirectories {
    private final Path base;

    public SessionDirectories(Path base) {
        this.base = base.toAbsolutePath().normalize();
    }

    public Path base() {
        return base;
    }

    /**
     * Where a session's directory will be: {@code name}, or the session id when {@code name} is
     * empty, checked to stay inside the base. Nothing is created yet.
     *
     * @throws InvalidSpecException if the name leaves the base
     */
    public Path plan(String sessionId, String name) {
        String relative = name.isEmpty() ? sessionId : name;
        Path realBase = realBase();
        Path target = realBase.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !target.startsWith(realBase) || target.equals(realBase)) {
            throw refused(relative, "it resolves outside the sessions base " + realBase);
        }
        return target;
    }

    /**
     * Creates a planned directory (mode 0700), refusing symlinks on the way.
     *
     * @throws InvalidSpecException if a path component is a symlink or the directory exists already
     */
    public Path create(Path target) {
        Path realBase = realBase();
        try {
            Path parent = target.getParent();
            createPrivateDirectories(realBase, parent);
            if (!parent.toRealPath().equals(parent)) {
                throw refused(realBase.relativize(target).toString(), "a path component is a symlink");
            }
            Files.createDirectory(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return target;
        } catch (FileAlreadyExistsException e) {
            throw new InvalidSpecException("sessionDirectory", target + " already exists; choose another name or let Tether name it after the session");
        } catch (IOException e) {
            throw new TetherException("cannot create session directory " + target + ": " + e.getMessage(), e);
        }
    }

    /** {@link #plan} then {@link #create(Path)}. */
    public Path create(String sessionId, String name) {
        return create(plan(sessionId, name));
    }

    /** Removes a session directory and everything in it, without following symlinks; only inside the base. */
    public void remove(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!d.startsWith(base) || d.equals(base)) {
            throw new IllegalArgumentException(d + " is not a session directory under " + base);
        }
        if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(d, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path sub, IOException exc) throws IOException {
                    Files.deleteIfExists(sub);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new TetherException("cannot remove session directory " + d + ": " + e.getMessage(), e);
        }
    }

    /** The directories directly under the base now. */
    public List<Path> entries() {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(base)) {
            return new ArrayList<>(s.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private Path realBase() {
        try {
            Files.createDirectories(base.getParent());
            if (!Files.exists(base)) {
                Files.createDirectory(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return base.toRealPath();
        } catch (FileAlreadyExistsException e) {
            return realBase();
        } catch (IOException e) {
            throw new TetherException("cannot create the sessions base " + base + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivateDirectories(Path realBase, Path dir) throws IOException {
        if (dir.equals(realBase) || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        createPrivateDirectories(realBase, dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // a symlink or file there: the real-path check refuses it
        }
    }

    private static InvalidSpecException refused(String name, String why) {
        return new InvalidSpecException("sessionDirectory", "'" + name + "' is refused: " + why);
    }
}
