package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import dev.tether.junit5.ServicePort;
import dev.tether.junit5.Services;
import dev.tether.junit5.TetherExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shop end to end: its Python backend and its Java frontend run as real processes for this
 * class, and are gone after it (the extension checks that, and fails the class if not).
 */
class ShopIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @RegisterExtension
    static final TetherExtension services = TetherExtension.builder()
            .service("backend",
                    ProcessSpec.of("python3", "backend/app.py"),
                    PortRequest.any(),                                     // exported to it as $PORT
                    ReadinessProbe.http("/health", Duration.ofSeconds(30)))
            .service("frontend",                                            // finds the backend in $BACKEND_PORT
                    ProcessSpec.of(JAVA, "-cp", "target/classes", FrontendServer.class.getName()),
                    PortRequest.any(),
                    ReadinessProbe.logLine("frontend listening on port \\d+", Duration.ofSeconds(30)))
            .build();

    private static final HttpClient http = HttpClient.newHttpClient();

    private static HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theFrontendServesThePage(@ServicePort("frontend") int port) throws Exception {
        HttpResponse<String> page = get(URI.create("http://127.0.0.1:" + port + "/"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Shop</h1>");
    }

    @Test
    void theFrontendForwardsTheApiToTheBackend(Services services) throws Exception {
        HttpResponse<String> viaFrontend = get(services.uri("frontend").resolve("/api/products"));
        HttpResponse<String> fromBackend = get(services.uri("backend").resolve("/api/products"));
        assertThat(viaFrontend.statusCode()).isEqualTo(200);
        assertThat(viaFrontend.body()).contains("\"teapot\"").isEqualTo(fromBackend.body());
    }

    @Test
    void theBackendLogsEachRequest(Services services) throws Exception {
        get(services.uri("backend").resolve("/health"));
        assertThat(Files.readString(services.log("backend"))).contains("backend ready on port", "\"GET /health HTTP/1.1\" 200");
    }

    @AfterAll
    static void closeClient() {
        http.close();
    }
}
