package dev.tether.app.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * {@code GET /sessions} answers, rendered once and served until something changes or they are
 * {@code maxAge} old: any start, stop, end, restart or activity of this daemon's sessions makes
 * the next request render afresh (a client always sees its own writes); other supervisors' rows
 * and the uptime, idle and usage figures are at most {@code maxAge} stale. The gzip form is made
 * on the first request that accepts it.
 */
final class ListCache {
    private static final int MAX_ENTRIES = 64;

    /** One rendered answer. */
    static final class Rendered {
        private final long generation;
        private final long madeAt;
        private final byte[] json;
        private volatile byte[] gzip;

        private Rendered(long generation, long madeAt, byte[] json) {
            this.generation = generation;
            this.madeAt = madeAt;
            this.json = json;
        }

        byte[] json() {
            return json;
        }

        byte[] gzip() {
            byte[] g = gzip;
            if (g == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 8 + 64);
                try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                    z.write(json);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                g = out.toByteArray();
                gzip = g;
            }
            return g;
        }
    }

    private final long maxAgeNanos;
    private final AtomicLong generation = new AtomicLong();
    private final Map<Object, Rendered> entries = new ConcurrentHashMap<>();

    ListCache(Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Something a listing shows changed. */
    void changed() {
        generation.incrementAndGet();
    }

    Rendered get(Object key, Supplier<byte[]> render) {
        long gen = generation.get();
        long now = System.nanoTime();
        Rendered r = entries.get(key);
        if (r != null && r.generation == gen && now - r.madeAt < maxAgeNanos) {
            return r;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        Rendered fresh = new Rendered(gen, now, render.get());
        entries.put(key, fresh);
        return fresh;
    }
}
