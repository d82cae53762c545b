package dev.tether.internal;

import dev.tether.InvalidSpecException;
import dev.tether.NotReadyException;
import dev.tether.ReadinessProbe;
import dev.tether.Session;
import dev.tether.Stdio;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.locks.LockSupport;

/** Runs a {@link ReadinessProbe} against a session until it passes, times out, or the session ends. */
public final class Readiness {
    private static final Duration CHECK_EVERY = Duration.ofMillis(50);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
    private static final int TAIL_LINES = 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ATTEMPT_TIMEOUT).build();

    private Readiness() {}

    public static void await(Session session, ReadinessProbe probe) {
        checkApplicable(session, probe);
        long deadline = System.nanoTime() + probe.timeout().toNanos();
        String lastFailure = "no attempt yet";
        while (true) {
            if (session.state().isTerminal() || session.onExit().isDone()) {
                throw notReady(session, "its main process ended (" + session.onExit().getNow(null) + ") before it was ready");
            }
            String failure = attempt(session, probe);
            if (failure == null) {
                return;
            }
            lastFailure = failure;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw notReady(session, "no readiness within " + dev.tether.Durations.format(probe.timeout()) + " (" + lastFailure + ")");
            }
            LockSupport.parkNanos(Math.min(left, CHECK_EVERY.toNanos()));
        }
    }

    /** The last lines of the session's stdout and stderr files, when they go to files. */
    public static List<String> logTail(Session session, int lines) {
        List<String> out = new ArrayList<>();
        for (Path p : logFiles(session)) {
            try {
                List<String> all = Files.readAllLines(p, StandardCharsets.UTF_8);
                out.addAll(all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException | java.io.UncheckedIOException e) {
                // not written yet, or gone
            }
        }
        return out.subList(Math.max(0, out.size() - lines), out.size());
    }

    private static void checkApplicable(Session session, ReadinessProbe probe) {
        if (probe instanceof ReadinessProbe.LogLine && logFiles(session).isEmpty()) {
            throw new InvalidSpecException("ready", "a log-line probe needs stdout or stderr to go to a file (Stdio.file)");
        }
        OptionalInt port = switch (probe) {
            case ReadinessProbe.TcpConnect t -> t.port();
            case ReadinessProbe.HttpGet h -> h.port();
            case ReadinessProbe.LogLine l -> OptionalInt.of(1);
        };
        if (port.isEmpty() && session.port().isEmpty()) {
            throw new InvalidSpecException("ready", "a TCP or HTTP probe needs a port: give one, or start the session with a port");
        }
    }

    /** null when ready; otherwise why not. */
    private static String attempt(Session session, ReadinessProbe probe) {
        return switch (probe) {
            case ReadinessProbe.TcpConnect t -> {
                int port = t.port().orElseGet(() -> session.port().getAsInt());
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), (int) ATTEMPT_TIMEOUT.toMillis());
                    yield null;
                } catch (IOException e) {
                    yield "connect to 127.0.0.1:" + port + ": " + e.getMessage();
                }
            }
            case ReadinessProbe.HttpGet h -> {
                int port = h.port().orElseGet(() -> session.port().getAsInt());
                URI uri = URI.create("http://127.0.0.1:" + port + h.path());
                try {
                    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(ATTEMPT_TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
                    yield r.statusCode() / 100 == 2 ? null : "GET " + uri + " answered " + r.statusCode();
                } catch (IOException e) {
                    yield "GET " + uri + ": " + e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    yield "interrupted";
                }
            }
            case ReadinessProbe.LogLine l -> {
                for (Path p : logFiles(session)) {
                    try (var lines = Files.lines(p, StandardCharsets.UTF_8)) {
                        if (lines.anyMatch(line -> l.pattern().matcher(line).find())) {
                            yield null;
                        }
                    } catch (IOException | java.io.UncheckedIOException e) {
                        // not there yet
                    }
                }
                yield "no log line matches /" + l.pattern() + "/";
            }
        };
    }

    private static List<Path> logFiles(Session session) {
        List<Path> out = new ArrayList<>();
        if (session.spec().stdout() instanceof Stdio.File f) {
            out.add(f.path());
        }
        if (session.spec().stderr() instanceof Stdio.File f && !out.contains(f.path())) {
            out.add(f.path());
        }
        return out;
    }

    private static NotReadyException notReady(Session session, String reason) {
        return new NotReadyException(session.id(), session.name(), reason, logTail(session, TAIL_LINES));
    }
}
