package dev.tether.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A supervisor in a child JVM, for crash tests: runs a main class from the test classpath with
 * native access, collects its stdout lines, and can be signalled (by the pid of the Process we
 * hold, never by name).
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-jvm-out-" + process.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // child gone
            }
        });
    }

    public static ChildJvm start(Class<?> main, Map<String, String> env, List<String> args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("--enable-native-access=ALL-UNNAMED");
        argv.add("-XX:+UseSerialGC");
        argv.add("-XX:TieredStopAtLevel=1");
        // No -XX:+AutoCreateSharedArchive: the test class path holds directories, which CDS cannot
        // archive, and the failed dump at exit turned every child's exit status into 1.
        argv.add("-Dtether.chaos.dir=" + Chaos.dir());
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(main.getName());
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        return new ChildJvm(pb.start());
    }

    /** Waits for a stdout line starting with {@code prefix}; returns it. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String s : seen) {
            if (s.startsWith(prefix)) {
                return s;
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IllegalStateException("child JVM did not print '" + prefix + "' within " + timeout
                        + " (alive: " + process.isAlive() + ", seen: " + seen + ")");
            }
            seen.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a signal by the pid of the child we started and have not reaped. */
    public void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("child JVM still running after " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
