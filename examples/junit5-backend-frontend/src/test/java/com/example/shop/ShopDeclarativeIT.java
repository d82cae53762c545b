package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.ProcessSpec;
import dev.tether.junit5.ServicePort;
import dev.tether.junit5.Tether;
import dev.tether.junit5.TetherService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The same services as {@link ShopIT}, declared with annotations: started in field order, stopped after the class. */
@Tether
class ShopDeclarativeIT {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TetherService(port = "any", ready = "http:/health", timeout = "30s")
    static final ProcessSpec backend = ProcessSpec.of("python3", "backend/app.py");

    @TetherService(port = "any", ready = "log:frontend listening")
    static final ProcessSpec frontend = ProcessSpec.of(JAVA, "-cp", "target/classes", FrontendServer.class.getName());

    @Test
    void thePageLoads(@ServicePort("frontend") int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("<h1>Shop</h1>");
        }
    }
}
