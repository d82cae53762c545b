package dev.tether.app.daemon;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web dashboard's page and assets, served from the jar (no CDN: it works offline). They hold
 * no data; the page asks for the token once and calls the API with it.
 */
final class Dashboard {
    private static final String BASE = "/dev/tether/app/dashboard/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void index(Context ctx) {
        serve(ctx, "index.html");
    }

    void asset(Context ctx) {
        String name = ctx.pathParam("file");
        if (!name.matches("[a-z0-9-]+\\.(js|css|svg)")) {
            throw ApiException.notFound("no dashboard asset '" + name + "'");
        }
        serve(ctx, name);
    }

    private void serve(Context ctx, String name) {
        byte[] body = cache.computeIfAbsent(name, Dashboard::load);
        if (body.length == 0) {
            throw ApiException.notFound("no dashboard asset '" + name + "'");
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        ctx.status(200).contentType(TYPES.get(ext)).header("Cache-Control", "no-cache").result(body);
    }

    private static byte[] load(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(BASE + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
