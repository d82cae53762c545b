package dev.tether.app.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.PidFile;
import dev.tether.Supervisor;
import dev.tether.TetherSettings;
import dev.tether.client.ApiJson;
import dev.tether.client.DaemonAddress;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tether serve}: a supervisor with a REST API, a dashboard, metrics, idle culling and
 * restarts, owning one home. Guarantee: every session it starts is stopped with its grace when the
 * daemon closes (SIGTERM, SIGINT, {@link #close()}); when it is SIGKILLed, its guardian stops them
 * and its next start reconciles the registry (rows closed as {@code LOST}). Limits: one daemon per
 * home (the PID file); it listens on loopback unless told otherwise.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    /** How often idle sessions are looked for (the issue asks for at least every 10 s). */
    static final Duration TICK = Duration.ofSeconds(2);

    private final Supervisor supervisor;
    private final DaemonSessions sessions;
    private final ScheduledExecutorService timer;
    private final Javalin http;
    private final PidFile pidFile;
    private final URI url;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread shutdownHook;
    private boolean closing; // guarded by this
    private volatile boolean closedByShutdown;

    private Daemon(Supervisor supervisor, DaemonSessions sessions, ScheduledExecutorService timer, Javalin http, PidFile pidFile, URI url) {
        this.supervisor = supervisor;
        this.sessions = sessions;
        this.timer = timer;
        this.http = http;
        this.pidFile = pidFile;
        this.url = url;
        this.shutdownHook = Thread.ofPlatform().name("tether-daemon-shutdown").unstarted(this::close);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a daemon on the settings' home.
     *
     * @throws DaemonRunningException when a live daemon owns the home
     */
    public static Daemon start(TetherSettings settings, DaemonOptions options, String version) {
        Path home = settings.home();
        Path pidPath = home.resolve(DaemonAddress.PID_FILE);
        PidFile.inspect(pidPath).ifPresent(h -> {
            throw new DaemonRunningException(home, h);
        });
        ApiToken token = ApiToken.loadOrCreate(home.resolve(DaemonAddress.TOKEN_FILE));
        TetherSettings own = settings.withReconcileInterval(Duration.ZERO);
        Supervisor supervisor = Supervisor.builder().settings(own).reconcileAtOpen(false).open();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("tether-daemon-timer").factory());
        Javalin javalin = null;
        try {
            ObjectMapper mapper = ApiJson.mapper();
            Http io = new Http(mapper);
            DaemonMetrics metrics = new DaemonMetrics();
            SessionLogs logs = new SessionLogs(home.resolve("logs"), options.logCapBytes());
            DaemonSessions sessions = new DaemonSessions(supervisor, new SpecFactory(settings.grace()), logs, metrics, timer);
            metrics.countSessions(sessions::countsByState);
            supervisor.reconcile();
            metrics.reconciled();
            sessions.sweepLogs();
            RequestParser parser = new RequestParser(mapper);
            HealthHandlers health = new HealthHandlers(supervisor, sessions, metrics, io, Instant.now(), version);
            List<Route> routes = Routes.table(new SessionHandlers(sessions, parser, io, logs), new OperatorHandlers(sessions, parser, io),
                    health, new Dashboard());
            health.openApi(mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(OpenApi.document(mapper, routes, version)));
            javalin = server(routes, io, token, options);
            javalin.start();
            URI url = URI.create("http://" + hostForUrl(options.host()) + ":" + javalin.port());
            PidFile pid = PidFile.acquire(pidPath, Map.of("url", url.toString(), "port", Integer.toString(javalin.port()),
                    "instance", supervisor.instanceId()));
            Daemon d = new Daemon(supervisor, sessions, timer, javalin, pid, url);
            timer.scheduleWithFixedDelay(d::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
            Duration every = settings.reconcileInterval();
            if (!every.isZero()) {
                timer.scheduleWithFixedDelay(() -> d.reconcile(metrics), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            }
            log.info("tether daemon {} listening on {} (home {}, {})", supervisor.instanceId(), url, home, supervisor.containment());
            return d;
        } catch (RuntimeException | JsonProcessingException e) {
            if (javalin != null) {
                javalin.stop();
            }
            timer.shutdownNow();
            supervisor.close();
            if (e instanceof PidFile.HeldException h) {
                throw new DaemonRunningException(home, h.holder());
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static Javalin server(List<Route> routes, Http io, ApiToken token, DaemonOptions options) {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = Http.MAX_BODY;
            cfg.http.prefer405over404 = true;
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            // Nothing the daemon serves is meant to be framed, sniffed or leak its URL.
            cfg.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", "frame-ancestors 'none'").header("Referrer-Policy", "no-referrer"));
            for (Route r : routes) {
                cfg.routes.addHttpHandler(handlerType(r.method()), r.path(), r.auth() ? ctx -> {
                    token.check(ctx.header("Authorization"));
                    r.handler().handle(ctx);
                } : r.handler());
            }
            cfg.routes.exception(ApiException.class, (e, ctx) -> io.error(ctx, e));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) -> io.error(ctx, translate(e, ctx, routes)));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                io.error(ctx, new ApiException(500, "internal_error", "the daemon failed to answer: " + e
                        + "; this is a bug in Tether, see the daemon's log"));
            });
        });
    }

    private static ApiException translate(HttpResponseException e, Context ctx, List<Route> routes) {
        return switch (e.getStatus()) {
            case 404 -> ApiException.notFound("no route " + ctx.method() + " " + ctx.path() + "; see GET /openapi.json for the API");
            case 405 -> {
                String allowed = routes.stream().filter(r -> matches(r.path(), ctx.path())).map(Route::method)
                        .collect(Collectors.joining(", "));
                ctx.attribute("tether.allow", allowed);
                yield new ApiException(405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path()
                        + "; allowed: " + allowed);
            }
            case 413 -> Http.tooLarge(-1);
            default -> new ApiException(e.getStatus(), "http_" + e.getStatus(), e.getMessage());
        };
    }

    private static boolean matches(String pattern, String path) {
        return path.matches(pattern.replaceAll("\\{[^}]+}", "[^/]+"));
    }

    private static HandlerType handlerType(String method) {
        return switch (method) {
            case "GET" -> HandlerType.GET;
            case "POST" -> HandlerType.POST;
            case "PUT" -> HandlerType.PUT;
            case "DELETE" -> HandlerType.DELETE;
            case "PATCH" -> HandlerType.PATCH;
            default -> throw new IllegalArgumentException("no handler type for " + method);
        };
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private void tick() {
        try {
            sessions.tick();
        } catch (RuntimeException e) {
            log.warn("housekeeping failed: {}", e.toString());
        }
    }

    private void reconcile(DaemonMetrics metrics) {
        try {
            supervisor.reconcile();
            metrics.reconciled();
            sessions.sweepLogs();
        } catch (RuntimeException e) {
            log.warn("periodic reconciliation failed: {}", e.getMessage());
        }
    }

    public URI url() {
        return url;
    }

    public int port() {
        return http.port();
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    /**
     * Blocks until the daemon has closed by {@link #close()}. When it closes because the JVM is
     * shutting down (SIGTERM, SIGINT, SIGHUP), this never returns: the JVM ends with the signal's
     * status (128 + N) once every session is stopped, and an exit of the caller's would race it.
     */
    public void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                if (closedByShutdown) {
                    new CountDownLatch(1).await();
                }
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting requests, then stops every session with its grace, closes the registry and
     * releases the PID file. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        closedByShutdown = Thread.currentThread().equals(shutdownHook);
        try {
            sessions.close();
            timer.shutdownNow();
            http.stop();
            supervisor.close();
        } finally {
            pidFile.close();
            closed.countDown();
            if (!Thread.currentThread().equals(shutdownHook)) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
            }
            log.info("tether daemon {} closed", supervisor.instanceId());
        }
    }
}
