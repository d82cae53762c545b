package dev.tether.app.daemon;

import dev.tether.client.api.SessionState;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The {@code /sessions} routes. */
final class SessionHandlers {
    static final int DEFAULT_TAIL = 100;
    static final int MAX_TAIL = 100_000;

    private final DaemonSessions sessions;
    private final RequestParser parser;
    private final Http http;
    private final SessionLogs logs;

    SessionHandlers(DaemonSessions sessions, RequestParser parser, Http http, SessionLogs logs) {
        this.sessions = sessions;
        this.parser = parser;
        this.http = http;
        this.logs = logs;
    }

    void create(Context ctx) {
        var request = parser.session(http.jsonBody(ctx));
        http.json(ctx, 201, sessions.start(request));
    }

    void list(Context ctx) {
        Set<SessionState> states = EnumSet.noneOf(SessionState.class);
        for (String s : ctx.queryParams("state")) {
            for (String one : s.split(",")) {
                states.add(state(one));
            }
        }
        String name = ctx.queryParam("name");
        String tag = ctx.queryParam("tag");
        int limit = Http.integer(ctx, "limit", ListQuery.DEFAULT_LIMIT, 1, ListQuery.MAX_LIMIT);
        ListCache.Rendered r = sessions.listJson(new ListQuery(Set.copyOf(states), name, tag, Http.flag(ctx, "all"), limit), http::bytes);
        ctx.status(200).contentType(Http.JSON).header("Vary", "Accept-Encoding");
        String accepted = ctx.header("Accept-Encoding");
        if (accepted != null && accepted.contains("gzip")) {
            ctx.header("Content-Encoding", "gzip").result(r.gzip());
        } else {
            ctx.result(r.json());
        }
    }

    private static SessionState state(String s) {
        try {
            SessionState st = SessionState.valueOf(s.strip().toUpperCase(Locale.ROOT));
            if (st != SessionState.UNKNOWN) {
                return st;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw ApiException.badRequest("invalid_parameter", "unknown state '" + s + "'; use one of "
                + EnumSet.complementOf(EnumSet.of(SessionState.UNKNOWN)));
    }

    void get(Context ctx) {
        http.json(ctx, 200, sessions.get(ctx.pathParam("id")));
    }

    void delete(Context ctx) {
        boolean force = Http.flag(ctx, "force");
        http.json(ctx, 200, sessions.stop(ctx.pathParam("id"), force));
    }

    void activity(Context ctx) {
        http.json(ctx, 200, sessions.activity(ctx.pathParam("id")));
    }

    void logs(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        int tail = Http.integer(ctx, "tail", DEFAULT_TAIL, 0, MAX_TAIL);
        boolean follow = Http.flag(ctx, "follow");
        Path file = sessions.logFile(id);
        long from = logs.size(file); // first: what is written after this is followed, what before is the tail
        List<String> lines = logs.tail(file, tail, from);
        ctx.status(200).contentType("text/plain; charset=utf-8");
        if (!follow) {
            StringBuilder sb = new StringBuilder();
            lines.forEach(l -> sb.append(l).append('\n'));
            ctx.result(sb.toString());
            return;
        }
        var out = ctx.outputStream();
        for (String l : lines) {
            out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        try {
            logs.follow(file, from, out, () -> sessions.outputEnded(id));
        } catch (IOException e) {
            // the reader went away
        }
    }
}
