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
 * and the uptime, idle and usage figures are refreshed every {@code maxAge}. One request renders at
 * a time per listing: after a change the others wait for it; when an answer has only aged, they
 * are served the previous one meanwhile (rendering a thousand sessions takes a while, and eight
 * clients rendering it at once would take eight times the CPU). The gzip form is made on the first
 * request that accepts it.
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
    private final Map<Object, Object> renderLocks = new ConcurrentHashMap<>();
    private final java.util.Set<Object> refreshing = ConcurrentHashMap.newKeySet();

    ListCache(Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Something a listing shows changed. */
    void changed() {
        generation.incrementAndGet();
    }

    Rendered get(Object key, Supplier<byte[]> render) {
        long gen = generation.get();
        Rendered r = entries.get(key);
        if (r != null && r.generation == gen) {
            if (System.nanoTime() - r.madeAt < maxAgeNanos || !refreshing.add(key)) {
                return r; // fresh, or only aged while another request renders it again
            }
            try {
                return render(key, gen, render);
            } finally {
                refreshing.remove(key);
            }
        }
        synchronized (renderLocks.computeIfAbsent(key, k -> new Object())) {
            Rendered again = entries.get(key);
            if (again != null && again.generation == generation.get() && System.nanoTime() - again.madeAt < maxAgeNanos) {
                return again; // another request rendered it while this one waited
            }
            return render(key, generation.get(), render);
        }
    }

    private Rendered render(Object key, long gen, Supplier<byte[]> render) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
            renderLocks.clear();
        }
        Rendered fresh = new Rendered(gen, System.nanoTime(), render.get());
        entries.put(key, fresh);
        return fresh;
    }
}
