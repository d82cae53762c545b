package dev.tether.app.daemon;

import dev.tether.Session;
import dev.tether.client.api.UsageView;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's CPU and memory, looked up at most once per {@code ttl}: listing a thousand sessions
 * then costs a thousand map lookups, not thousands of {@code /proc} reads, and nothing is read
 * while nobody asks.
 */
final class UsageCache {
    private record Entry(UsageView usage, long at) {}

    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    UsageCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** The usage, looked up again if the last look is older than the ttl, or always when {@code fresh}. */
    UsageView get(Session run, boolean fresh) {
        long now = System.nanoTime();
        Entry e = entries.get(run.id());
        if (fresh || e == null || now - e.at() > ttlNanos) {
            e = new Entry(Views.usage(run.usage()), now);
            entries.put(run.id(), e);
            if (entries.size() > 4 * DaemonSessions.KEEP_ENDED) {
                entries.values().removeIf(x -> now - x.at() > ttlNanos);
            }
        }
        return e.usage();
    }
}
