package com.example.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The shop's frontend: serves the page on 127.0.0.1:$PORT and forwards {@code /api/...} to the
 * backend on 127.0.0.1:$BACKEND_PORT.
 */
public final class FrontendServer {
    private static final String PAGE = """
            <!doctype html>
            <title>Shop</title>
            <h1>Shop</h1>
            <ul id="products"></ul>
            <script>
              fetch('/api/products').then(r => r.json()).then(ps => ps.forEach(p =>
                document.getElementById('products').insertAdjacentHTML('beforeend', `<li>${p.name}: ${p.price}</li>`)));
            </script>
            """;

    private FrontendServer() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        URI backend = URI.create("http://127.0.0.1:" + System.getenv().getOrDefault("BACKEND_PORT", "8000"));
        HttpClient http = HttpClient.newHttpClient();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> reply(exchange, 200, "text/html", PAGE.getBytes(StandardCharsets.UTF_8)));
        server.createContext("/api/", exchange -> {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(backend.resolve(exchange.getRequestURI().getPath())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                reply(exchange, r.statusCode(), r.headers().firstValue("Content-Type").orElse("application/json"), r.body());
            } catch (IOException | InterruptedException e) {
                reply(exchange, 502, "text/plain", ("backend unreachable: " + e).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
        System.out.println("frontend listening on port " + port);
    }

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
