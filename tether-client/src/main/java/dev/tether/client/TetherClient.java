package dev.tether.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.client.api.ApiError;
import dev.tether.client.api.EmergencyRecovery;
import dev.tether.client.api.Health;
import dev.tether.client.api.OrphanCleanup;
import dev.tether.client.api.PortView;
import dev.tether.client.api.SessionList;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A typed client for the tether daemon's REST API, on {@link java.net.http.HttpClient}. Every
 * method is one request; an error answer becomes a {@link TetherApiException} carrying the
 * daemon's code and message, and a daemon that does not answer a {@link DaemonNotRunningException}.
 * Thread-safe. Limit: it neither retries nor follows a daemon that moved to another port.
 */
public final class TetherClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final String JSON = "application/json";

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper writer = ApiJson.mapper();
    private final ObjectMapper reader = ApiJson.lenientReader();
    private final Duration requestTimeout;

    private TetherClient(URI base, String token, Duration requestTimeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.token = Objects.requireNonNull(token, "token");
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** A client for the daemon at {@code base} (e.g. {@code http://127.0.0.1:7373}) with its token. */
    public static TetherClient of(URI base, String token) {
        return new TetherClient(base, token, Duration.ofMinutes(5));
    }

    /**
     * A client for the daemon that owns {@code home}, found through its PID file and token file.
     *
     * @throws DaemonNotRunningException when the home names no daemon
     */
    public static TetherClient forHome(Path home) {
        DaemonAddress a = DaemonAddress.ofHome(home);
        return of(a.url(), a.token());
    }

    public URI base() {
        return base;
    }

    /** {@code GET /healthz}: whether the daemon answers at all (no token needed). */
    public boolean alive() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/healthz")).timeout(CONNECT_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Health health() {
        return get("/health", Health.class);
    }

    /**
     * {@code POST /sessions}: starts a session and, when it has a readiness probe, waits until it
     * is ready (without a client-side timeout: the probe's own timeout bounds the wait).
     */
    public SessionView start(SessionRequest request) {
        return send(json("POST", "/sessions", request, false), SessionView.class);
    }

    /** Live sessions. */
    public SessionList sessions() {
        return sessions(SessionQuery.live());
    }

    public SessionList sessions(SessionQuery query) {
        return get("/sessions" + query.queryString(), SessionList.class);
    }

    /** One session, with its live process tree. */
    public SessionView session(String id) {
        return get("/sessions/" + enc(id), SessionView.class);
    }

    /** {@code DELETE /sessions/{id}}: stops the tree with its grace period; returns once nothing of it lives. */
    public SessionView stop(String id) {
        return stop(id, false);
    }

    /** With {@code force}, skips the grace period (SIGKILL at once). Waits as long as the session's grace takes. */
    public SessionView stop(String id, boolean force) {
        return send(request("/sessions/" + enc(id) + (force ? "?force=true" : ""), false).DELETE().build(), SessionView.class);
    }

    /** {@code POST /sessions/{id}/activity}: the session is in use (resets its idle time). */
    public SessionView activity(String id) {
        return send(request("/sessions/" + enc(id) + "/activity").POST(HttpRequest.BodyPublishers.noBody()).build(), SessionView.class);
    }

    /** The last {@code lines} lines of the session's output. */
    public String logs(String id, int lines) {
        return send(request("/sessions/" + enc(id) + "/logs?tail=" + lines).GET().build());
    }

    /**
     * The last {@code lines} lines, then every new line as it is written, until the session ends
     * (or the calling thread is interrupted).
     */
    public void followLogs(String id, int lines, Consumer<String> sink) {
        HttpRequest req = HttpRequest.newBuilder(uri("/sessions/" + enc(id) + "/logs?follow=true&tail=" + lines))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() >= 400) {
                try (InputStream in = r.body()) {
                    throw error(r.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    sink.accept(line);
                }
            }
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code POST /cleanup/orphans}; with {@code dryRun} it only lists what it would stop. */
    public OrphanCleanup cleanupOrphans(boolean dryRun) {
        return send(request("/cleanup/orphans" + (dryRun ? "?dry_run=true" : ""), false).POST(HttpRequest.BodyPublishers.noBody()).build(),
                OrphanCleanup.class);
    }

    /** {@code POST /emergency-recovery}: stops every session and every Tether-marked process of the daemon's user. */
    public EmergencyRecovery emergencyRecovery() {
        return send(json("POST", "/emergency-recovery", Map.of("confirm", true), false), EmergencyRecovery.class);
    }

    /** {@code GET /ports/{port}}: who holds a port. */
    public PortView port(int port) {
        return get("/ports/" + port, PortView.class);
    }

    /** {@code GET /metrics}, Prometheus text format. */
    public String metrics() {
        return send(request("/metrics").GET().build());
    }

    /** {@code GET /openapi.json}. */
    public String openApi() {
        return send(request("/openapi.json").GET().build());
    }

    private <T> T get(String path, Class<T> type) {
        return send(request(path).GET().build(), type);
    }

    private HttpRequest.Builder request(String path) {
        return request(path, true);
    }

    /** Requests that wait for a stop or a readiness probe have no client-side timeout: the daemon bounds them. */
    private HttpRequest.Builder request(String path, boolean timed) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
        return timed ? b.timeout(requestTimeout) : b;
    }

    private HttpRequest json(String method, String path, Object body, boolean timed) {
        try {
            return request(path, timed).header("Content-Type", JSON)
                    .method(method, HttpRequest.BodyPublishers.ofString(writer.writeValueAsString(body))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private <T> T send(HttpRequest req, Class<T> type) {
        String body = send(req);
        try {
            return reader.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the daemon answered " + req.uri().getPath() + " with JSON this client cannot read: "
                    + e.getOriginalMessage(), e);
        }
    }

    private String send(HttpRequest req) {
        HttpResponse<String> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the daemon", e);
        }
        if (r.statusCode() >= 400) {
            throw error(r.statusCode(), r.body());
        }
        return r.body();
    }

    private TetherApiException error(int status, String body) {
        try {
            ApiError e = reader.readValue(body, ApiError.class);
            if (e.error() != null) {
                return new TetherApiException(status, e.error());
            }
        } catch (JsonProcessingException ignored) {
            // not our error shape: report the body as it is
        }
        return new TetherApiException(status, new ApiError.Detail("http_" + status, body.strip(), null, null));
    }

    private RuntimeException unreachable(IOException e) {
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return new DaemonNotRunningException("no tether daemon answers at " + base + " (" + e.getClass().getSimpleName()
                    + "); start one with `tether serve`", e);
        }
        return new UncheckedIOException("talking to the daemon at " + base + " failed: " + e.getMessage(), e);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
