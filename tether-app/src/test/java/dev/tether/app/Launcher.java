package dev.tether.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's {@code ./tether} launcher as a user would, for end-to-end tests. */
final class Launcher {
    private Launcher() {}

    static Path script() {
        String prop = System.getProperty("tether.launcher");
        Path p = prop != null ? Path.of(prop) : Path.of("..", "tether").toAbsolutePath().normalize();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("launcher not found at " + p);
        }
        return p;
    }

    static ProcessBuilder builder(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(script().toString());
        argv.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }

    /** Result of a finished launcher run. */
    record Result(int exitCode, String stdout, String stderr) {}

    static Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(timeout, Map.of(), args);
    }

    static Result run(Duration timeout, Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = builder(List.of(args));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var errText = new StringBuilder();
        Thread errPump = Thread.ofPlatform().start(() -> {
            try {
                errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // process gone
            }
        });
        String outText = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("tether " + String.join(" ", args) + " did not finish in " + timeout);
        }
        errPump.join();
        return new Result(p.exitValue(), outText, errText.toString());
    }

    /** Sends a signal to a launcher process we started (by its pid, which we hold unreaped). */
    static void signal(Process p, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed");
        }
    }
}
