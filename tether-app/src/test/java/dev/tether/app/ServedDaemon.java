package dev.tether.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code ./tether --home H serve --port 0} as a child process, for end-to-end tests: waits for its
 * "listening on" line, keeps what it printed, and stops it with SIGTERM sent to the pid of the
 * {@link Process} we hold (never by name). Closing it stops it if a test did not.
 */
final class ServedDaemon implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("tether daemon listening on (\\S+) \\(pid (\\d+)");

    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outPump;
    private final Thread errPump;

    private ServedDaemon(Process process) {
        this.process = process;
        this.outPump = pump(process.getInputStream(), out);
        this.errPump = pump(process.getErrorStream(), err);
    }

    /** Starts a daemon on {@code home} and waits until it listens. */
    static ServedDaemon start(Path home, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = Launcher.builder(List.of("--home", home.toString(), "serve", "--port", "0"));
        pb.environment().putAll(env);
        ServedDaemon d = new ServedDaemon(pb.start());
        d.process.getOutputStream().close();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> LISTENING.matcher(d.out).find() || !d.process.isAlive());
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        if (!LISTENING.matcher(d.out).find()) {
            d.close();
            throw new IllegalStateException("tether serve did not start listening (exit " + (d.process.isAlive() ? "-" : d.process.exitValue())
                    + ")\nstdout: " + d.out + "\nstderr: " + d.err);
        }
        return d;
    }

    long pid() {
        return process.pid();
    }

    /** The pid the daemon printed (the launcher execs java, so it is the process we hold). */
    long printedPid() {
        Matcher m = LISTENING.matcher(out);
        return m.find() ? Long.parseLong(m.group(2)) : -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stdout() {
        return out.toString();
    }

    String stderr() {
        return err.toString();
    }

    /** Waits for the daemon to exit (after a stop from elsewhere); its exit status, or -1 if it still runs. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        outPump.join(Duration.ofSeconds(10)); // a child holding the pipes must not hang the test
        errPump.join(Duration.ofSeconds(10));
        return process.exitValue();
    }

    /** SIGTERM, then waits for it to exit; its exit status, or -1 if it did not exit in time. */
    int terminate(Duration timeout) throws IOException, InterruptedException {
        if (process.isAlive()) {
            Launcher.signal(process, "TERM");
        }
        return awaitExit(timeout);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive() && terminate(Duration.ofSeconds(60)) < 0) {
            process.destroyForcibly(); // our own child, by identity; its guardian stops its sessions
            process.waitFor();
        }
    }

    private static Thread pump(InputStream in, StringBuffer into) {
        return Thread.ofPlatform().daemon().start(() -> {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the daemon is gone
            }
        });
    }
}
