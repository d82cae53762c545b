package dev.tether.client;

import dev.tether.client.api.SessionState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A filter for {@code GET /sessions}. By default only live sessions are listed ({@code STARTING},
 * {@code RUNNING}, {@code STOPPING}, {@code RESTARTING}); {@link #everything()} lists ended ones too,
 * newest first, up to {@code limit}.
 */
public record SessionQuery(List<SessionState> states, String name, String tag, boolean includeEnded, Integer limit) {
    public SessionQuery {
        states = states == null ? List.of() : List.copyOf(states);
    }

    public static SessionQuery live() {
        return new SessionQuery(List.of(), null, null, false, null);
    }

    public static SessionQuery everything() {
        return new SessionQuery(List.of(), null, null, true, null);
    }

    public SessionQuery inState(SessionState... s) {
        return new SessionQuery(List.of(s), name, tag, includeEnded, limit);
    }

    public SessionQuery named(String n) {
        return new SessionQuery(states, n, tag, includeEnded, limit);
    }

    public SessionQuery tagged(String t) {
        return new SessionQuery(states, name, t, includeEnded, limit);
    }

    public SessionQuery limit(int n) {
        return new SessionQuery(states, name, tag, includeEnded, n);
    }

    String queryString() {
        List<String> parts = new ArrayList<>();
        states.forEach(s -> parts.add("state=" + s.name()));
        if (name != null) {
            parts.add("name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
        }
        if (tag != null) {
            parts.add("tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        }
        if (includeEnded) {
            parts.add("all=true");
        }
        if (limit != null) {
            parts.add("limit=" + limit);
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }
}
