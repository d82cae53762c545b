package dev.tether.internal;

import dev.tether.ProcessSpec;
import dev.tether.SpawnException;
import dev.tether.Stdio;
import dev.tether.linux.libc.Errno;
import java.nio.file.AccessMode;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Checks, before anything is created, that a spec can be spawned: the working directory exists
 * and is searchable, the program resolves (through the child's {@code PATH} when it has no slash)
 * to an executable regular file, and redirect files can be opened. Failures are
 * {@link SpawnException}s naming the command, the reason and the errno a spawn would have got.
 */
public final class SpawnPreflight {
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private SpawnPreflight() {}

    /** Validates and returns the working directory the child will get. */
    public static Path directory(ProcessSpec spec) {
        Path dir = spec.directory().orElse(Path.of("").toAbsolutePath());
        if (Files.isDirectory(dir) && accessible(dir, AccessMode.READ, AccessMode.EXECUTE)) {
            return dir; // the usual case, in two system calls; the checks below name what is wrong
        }
        if (!Files.exists(dir)) {
            throw fail(spec, Errno.ENOENT, "working directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw fail(spec, Errno.ENOTDIR, "working directory " + dir + " is not a directory");
        }
        if (!Files.isExecutable(dir)) {
            throw fail(spec, Errno.EACCES, "working directory " + dir + " is not searchable (no x permission)");
        }
        if (!Files.isReadable(dir)) {
            throw fail(spec, Errno.EACCES, "working directory " + dir + " is not readable");
        }
        return dir;
    }

    /** Resolves argv[0] to an absolute executable path, as execvp would. */
    public static Path executable(ProcessSpec spec, Path directory, Map<String, String> environment) {
        String program = spec.argv().getFirst();
        Path resolved;
        if (program.indexOf('/') >= 0) {
            resolved = directory.resolve(path(spec, program)).normalize();
            checkExecutable(spec, resolved);
            return resolved;
        }
        String searchPath = environment.getOrDefault("PATH", DEFAULT_PATH);
        SpawnException firstDenied = null;
        for (String entry : searchPath.split(":", -1)) {
            Path dir = entry.isEmpty() ? directory : directory.resolve(path(spec, entry));
            Path candidate = dir.resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    Path found = candidate.toAbsolutePath().normalize();
                    checkFormat(spec, found);
                    return found;
                }
                if (firstDenied == null) {
                    firstDenied = fail(spec, Errno.EACCES, candidate + " is not executable (chmod +x it)");
                }
            }
        }
        if (firstDenied != null) {
            throw firstDenied;
        }
        throw fail(spec, Errno.ENOENT, "'" + program + "' was not found on PATH (" + searchPath
                + "); give an absolute path or install it");
    }

    /** Checks that redirect files can be opened as the child will open them. */
    public static void redirects(ProcessSpec spec) {
        if (spec.stdin() instanceof Stdio.File f && !Files.isReadable(f.path())) {
            throw fail(spec, Files.exists(f.path()) ? Errno.EACCES : Errno.ENOENT,
                    "stdin file " + f.path() + (Files.exists(f.path()) ? " is not readable" : " does not exist"));
        }
        for (Stdio out : new Stdio[] {spec.stdout(), spec.stderr()}) {
            if (out instanceof Stdio.File f) {
                Path parent = f.path().getParent();
                if (Files.exists(f.path()) ? !Files.isWritable(f.path()) || Files.isDirectory(f.path())
                        : parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
                    throw fail(spec, Files.exists(f.path()) || (parent != null && Files.isDirectory(parent)) ? Errno.EACCES : Errno.ENOENT,
                            "output file " + f.path() + " cannot be written (check that its directory exists and is writable)");
                }
            }
        }
    }

    private static void checkExecutable(ProcessSpec spec, Path p) {
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
            checkFormat(spec, p); // the usual case; the checks below name what is wrong
            return;
        }
        if (!Files.exists(p)) {
            throw fail(spec, Errno.ENOENT, "program " + p + " does not exist");
        }
        if (Files.isDirectory(p)) {
            throw fail(spec, Errno.EACCES, "program " + p + " is a directory, not an executable file");
        }
        if (!Files.isExecutable(p)) {
            throw fail(spec, Errno.EACCES, "program " + p + " is not executable (chmod +x it)");
        }
        checkFormat(spec, p);
    }

    /**
     * The kernel runs ELF binaries and {@code #!} scripts; anything else fails with ENOEXEC. Checked
     * here so every containment level reports it the same way (a shell gate would instead try to
     * run the file as a script).
     */
    private static void checkFormat(ProcessSpec spec, Path p) {
        byte[] head = new byte[4];
        int n;
        try (var in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (java.io.IOException e) {
            return; // execute-only binaries (mode 0711) cannot be read; let exec decide
        }
        boolean elf = n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
        boolean script = n >= 2 && head[0] == '#' && head[1] == '!';
        if (!elf && !script) {
            throw fail(spec, Errno.ENOEXEC, "program " + p + " is neither an ELF binary nor a script with a #! line");
        }
    }

    /** Whether this process may access {@code p} in all of {@code modes}, asked in one {@code access(2)}. */
    private static boolean accessible(Path p, AccessMode... modes) {
        try {
            p.getFileSystem().provider().checkAccess(p, modes);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Path path(ProcessSpec spec, String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw fail(spec, Errno.EINVAL, "'" + s + "' is not a valid path");
        }
    }

    private static SpawnException fail(ProcessSpec spec, int errno, String reason) {
        return new SpawnException(spec, errno, Errno.name(errno), reason);
    }
}
