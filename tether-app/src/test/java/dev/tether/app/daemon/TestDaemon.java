package dev.tether.app.daemon;

import dev.tether.TetherSettings;
import dev.tether.client.TetherClient;
import dev.tether.testkit.Leaks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real daemon for tests: in this JVM, on its own home, on a free loopback port, with a typed
 * client and a raw HTTP helper for requests the client would never send. Closing it stops every
 * session; {@link #leftovers()} proves nothing of its instance survives.
 */
public final class TestDaemon implements AutoCloseable {
    private final Daemon daemon;
    private final Path home;
    private final String token;
    private final TetherClient client;
    private final HttpClient raw = HttpClient.newHttpClient();

    private TestDaemon(Daemon daemon, Path home) throws java.io.IOException {
        this.daemon = daemon;
        this.home = home;
        this.token = Files.readString(home.resolve("token")).strip();
        this.client = TetherClient.of(daemon.url(), token);
    }

    /** A daemon on {@code home} with a short default grace (so tests of TERM ignorers stay quick). */
    public static TestDaemon start(Path home) {
        return start(home, Map.of("grace", "2s"));
    }

    public static TestDaemon start(Path home, Map<String, String> settings) {
        try {
            TetherSettings s = TetherSettings.load(Map.of("TETHER_HOME", home.toString()), settings);
            return new TestDaemon(Daemon.start(s, DaemonOptions.defaults().withPort(0), "test"), home);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public TetherClient client() {
        return client;
    }

    public Daemon daemon() {
        return daemon;
    }

    public URI url() {
        return daemon.url();
    }

    public Path home() {
        return home;
    }

    public String token() {
        return token;
    }

    public String instance() {
        return daemon.supervisor().instanceId();
    }

    /** Live processes carrying this daemon's instance marker. */
    public List<Long> leftovers() {
        return Leaks.ofInstance(instance());
    }

    /** A request as sent, with the token unless {@code token} is null. */
    public HttpResponse<String> send(String method, String path, String contentType, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(daemon.url() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JSON request with the right token. */
    public HttpResponse<String> json(String method, String path, String body) {
        return send(method, path, "application/json", body, "Bearer " + token);
    }

    @Override
    public void close() {
        daemon.close();
    }
}
