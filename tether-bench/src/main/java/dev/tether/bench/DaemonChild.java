package dev.tether.bench;

import dev.tether.client.TetherClient;
import dev.tether.client.api.Health;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code tether serve} as a child process of the bench, so its CPU and memory are its own: started
 * the way a user starts it, through the repository's {@code ./tether} launcher (which execs the JVM
 * with the daemon's options, so the pid is the JVM's; the bench's JVM arguments go in
 * {@code JAVA_OPTS}), or {@code java -jar tether.jar serve} where there is no launcher; stdout and
 * stderr in files beside the home. Up once it prints its address; stopped with SIGTERM
 * through the {@link Process} the bench holds (its recorded pid), never by name.
 */
final class DaemonChild implements AutoCloseable {
    private static final String LISTENING = "tether daemon listening on ";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** How the daemon ended: exit status, SIGTERM-to-exit time, and what of its instance still lived then. */
    record Stopped(int exitCode, double millis, int markedLeft) {}

    private final Process process;
    private final Path home;
    private final Path log;
    private final Path stdout;
    private final URI url;
    private final String token;
    private final String instance;
    private final TetherClient client;

    /** The most ended sessions a registry may be told to keep: in effect, all of them. */
    static final int KEEP_EVERY_ENDED = 10_000_000;

    private DaemonChild(Process process, Path home, Path log, Path stdout, URI url, String token) {
        this.process = process;
        this.home = home;
        this.log = log;
        this.stdout = stdout;
        this.url = url;
        this.token = token;
        this.client = TetherClient.of(url, token);
        Health h = client.health();
        if (h.pid() != process.pid()) {
            throw new IllegalStateException("the daemon at " + url + " says it is pid " + h.pid() + ", not " + process.pid());
        }
        this.instance = h.instance();
    }

    static DaemonChild start(Path jar, Path home, List<String> jvmArgs) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no daemon jar at " + jar + ": build tether-app first (the bench's -am does)");
        }
        Path out = Path.of(home + "-stdout.log");
        Path log = Path.of(home + "-stderr.log");
        Path launcher = jar.toAbsolutePath().getParent().getParent().getParent().resolve("tether");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(launcher)) {
            cmd.addAll(List.of(launcher.toString(), "serve", "--port", "0", "--home", home.toString()));
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "serve", "--port", "0",
                    "--home", home.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(log.toFile());
        if (Files.isExecutable(launcher)) {
            pb.environment().put("JAVA_OPTS", String.join(" ", jvmArgs));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        }
        pb.environment().remove("CHAOS_TAG");
        pb.environment().put("TETHER_HOME", home.toString());
        // The churn check looks up every session the clients started: none may be pruned meanwhile.
        pb.environment().put("TETHER_KEEP_ENDED", Integer.toString(KEEP_EVERY_ENDED));
        Process p;
        try {
            Files.createDirectories(home);
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the daemon: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String line = read(out).lines().filter(l -> l.startsWith(LISTENING)).findFirst().orElse(null);
            if (line != null) {
                URI url = URI.create(line.substring(LISTENING.length()).split(" ")[0]);
                try {
                    String token = Files.readString(home.resolve("token"), StandardCharsets.US_ASCII).strip();
                    return new DaemonChild(p, home, log, out, url, token);
                } catch (IOException | RuntimeException e) {
                    p.destroyForcibly();
                    throw new IllegalStateException("the daemon at " + url + " is not usable: " + e.getMessage() + "; see " + log, e);
                }
            }
            if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                p.destroyForcibly();
                throw new IllegalStateException("the daemon did not say it listens within " + START_TIMEOUT
                        + (p.isAlive() ? "" : " (it exited " + p.exitValue() + ")") + "; see " + log);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    long pid() {
        return process.pid();
    }

    URI url() {
        return url;
    }

    String token() {
        return token;
    }

    /** Its supervisor's instance id: {@code TETHER_INSTANCE} in every process it starts. */
    String instance() {
        return instance;
    }

    String marker() {
        return "TETHER_INSTANCE=" + instance;
    }

    Path home() {
        return home;
    }

    Path log() {
        return log;
    }

    TetherClient client() {
        return client;
    }

    long cpuTicks() {
        return Procs.cpuTicks(pid());
    }

    long rssKb() {
        return Procs.statusKb(pid(), "VmRSS").orElseThrow(() -> new IllegalStateException("the daemon is gone"));
    }

    Map<String, Long> cpuTicksByThread() {
        return Procs.cpuTicksByThreadGroup(pid());
    }

    /** SIGTERM (by the pid the JDK recorded), then waits for the exit and counts what of its instance lives. */
    Stopped terminate(Duration timeout) {
        long t0 = System.nanoTime();
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                threadDump();
                throw new IllegalStateException("the daemon (pid " + pid() + ") did not exit within " + timeout
                        + " of SIGTERM; see " + log + " and its thread dump in " + stdout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        double ms = Stats.round(Stats.millis(t0, System.nanoTime()), 1);
        return new Stopped(process.exitValue(), ms, Procs.carrying(marker()).size());
    }

    /** SIGQUIT by its recorded pid: the JVM prints every thread's stack to its stdout (a file here) and runs on. */
    private void threadDump() {
        try {
            new ProcessBuilder("/bin/kill", "-QUIT", Long.toString(pid())).inheritIO().start().waitFor();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
        } catch (IOException e) {
            // no dump then
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Safety net: a daemon still running is SIGTERMed, then SIGKILLed (its guardian cleans up) if it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            terminate(Duration.ofSeconds(120));
        } catch (IllegalStateException e) {
            process.destroyForcibly();
            throw e;
        }
    }
}
