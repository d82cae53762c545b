package dev.tether.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bench main in a JVM of its own (this classpath, native access on), spoken to by lines on its
 * stdin and stdout; its stderr goes to a log file. It is stopped only through its {@link Process}
 * (by the pid the JDK recorded when it started it), never by name.
 */
final class ChildJvm implements AutoCloseable {
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.log = log;
        Thread.ofPlatform().daemon().name("child-stdout-" + process.pid()).start(this::pump);
    }

    static ChildJvm start(Class<?> main, List<String> args, Map<String, String> env, Path log) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(Redirect.appendTo(log.toFile()));
        pb.environment().remove("CHAOS_TAG");
        pb.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            return new ChildJvm(pb.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + main.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("child " + pid() + " does not read its stdin any more (" + e.getMessage()
                    + "); see " + log, e);
        }
    }

    /** The next line the child prints, failing after {@code timeout} or when it exits first. */
    String expect(String prefix, Duration timeout) {
        String line;
        try {
            line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (line == null || line.equals(EOF) || !line.startsWith(prefix)) {
            throw new IllegalStateException("child " + pid() + " answered " + (line == null ? "nothing within " + timeout
                    : line.equals(EOF) ? "nothing (it exited)" : "'" + line + "'") + " where '" + prefix
                    + " ...' was expected; see " + log);
        }
        return line.substring(prefix.length()).trim();
    }

    /** SIGKILL by the pid of the Process this JVM holds. */
    void kill() {
        process.destroyForcibly();
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
                throw new IllegalStateException("child " + pid() + " did not exit within " + timeout + "; killed; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Asks nicely ({@code exit}, stdin closed), then kills it if it has not gone within 60 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("exit");
                stdin.close();
            } catch (IOException | IllegalStateException e) {
                // it is going anyway
            }
            awaitExit(Duration.ofSeconds(60));
        }
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child is gone
        }
        lines.add(EOF);
    }
}
