package dev.tether.client.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /sessions}: what to start and how to look after it. Only {@code argv}
 * is required; everything else has the daemon's default. The daemon validates every field and
 * answers a wrong one with a 4xx naming it; this record only checks what Java's types cannot.
 *
 * @param argv        the command, program first (never a shell string)
 * @param cwd         absolute working directory (default: the daemon's)
 * @param env         variables set for the session (over the daemon's environment unless {@code inheritEnv} is false)
 * @param inheritEnv  whether the session starts from the daemon's environment (default true)
 * @param name        a label (default: the program's file name)
 * @param tags        free-form labels, for filtering
 * @param port        a port to lease and export to the session
 * @param portEnv     the variable the port is exported as (default {@code PORT})
 * @param sessionDir  a directory created before the start and removed after the stop, exported as {@code TETHER_SESSION_DIR}
 * @param grace       how long the stop signal is given before SIGKILL (default: the daemon's, 10 s)
 * @param stopSignal  the stop signal (default {@code TERM})
 * @param idleTimeout stop (and mark {@code CULLED}) after this long without activity
 * @param ready       a readiness probe; {@code POST} answers once it passes
 * @param restart     what to do when the main process exits by itself (default: never restart)
 */
public record SessionRequest(List<String> argv, String cwd, Map<String, String> env, Boolean inheritEnv, String name,
                             List<String> tags, PortChoice port, String portEnv, DirChoice sessionDir, Duration grace,
                             String stopSignal, Duration idleTimeout, ReadyCheck ready, RestartPolicy restart) {
    public SessionRequest {
        Objects.requireNonNull(argv, "argv");
        argv = List.copyOf(argv);
        env = env == null ? null : Map.copyOf(env);
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** A request to run {@code argv} with every default. */
    public static SessionRequest of(String... argv) {
        return of(List.of(argv));
    }

    public static SessionRequest of(List<String> argv) {
        return new SessionRequest(argv, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public SessionRequest withCwd(String dir) {
        return new SessionRequest(argv, dir, env, inheritEnv, name, tags, port, portEnv, sessionDir, grace, stopSignal, idleTimeout, ready, restart);
    }

    public SessionRequest withEnv(String key, String value) {
        Map<String, String> e = new LinkedHashMap<>(env == null ? Map.of() : env);
        e.put(key, value);
        return new SessionRequest(argv, cwd, e, inheritEnv, name, tags, port, portEnv, sessionDir, grace, stopSignal, idleTimeout, ready, restart);
    }

    public SessionRequest withName(String n) {
        return new SessionRequest(argv, cwd, env, inheritEnv, n, tags, port, portEnv, sessionDir, grace, stopSignal, idleTimeout, ready, restart);
    }

    public SessionRequest withTags(String... t) {
        return new SessionRequest(argv, cwd, env, inheritEnv, name, List.of(t), port, portEnv, sessionDir, grace, stopSignal, idleTimeout, ready, restart);
    }

    public SessionRequest withPort(PortChoice p) {
        return new SessionRequest(argv, cwd, env, inheritEnv, name, tags, p, portEnv, sessionDir, grace, stopSignal, idleTimeout, ready, restart);
    }

    public SessionRequest withSessionDir(DirChoice d) {
        return new SessionRequest(argv, cwd, env, inheritEnv, name, tags, port, portEnv, d, grace, stopSignal, idleTimeout, ready, restart);
    }

    public SessionRequest withGrace(Duration g) {
        return new SessionRequest(argv, cwd, env, inheritEnv, name, tags, port, portEnv, sessionDir, g, stopSignal, idleTimeout, ready, restart);
    }

    public SessionRequest withIdleTimeout(Duration t) {
        return new SessionRequest(argv, cwd, env, inheritEnv, name, tags, port, portEnv, sessionDir, grace, stopSignal, t, ready, restart);
    }

    public SessionRequest withReady(ReadyCheck r) {
        return new SessionRequest(argv, cwd, env, inheritEnv, name, tags, port, portEnv, sessionDir, grace, stopSignal, idleTimeout, r, restart);
    }

    public SessionRequest withRestart(RestartPolicy r) {
        return new SessionRequest(argv, cwd, env, inheritEnv, name, tags, port, portEnv, sessionDir, grace, stopSignal, idleTimeout, ready, r);
    }
}
