package dev.tether.app.daemon;

import dev.tether.PortOwner;
import dev.tether.Ports;
import dev.tether.client.api.PortView;
import io.javalin.http.Context;
import java.util.List;

/** Routes for an operator: orphan cleanup, emergency recovery, who holds a port. */
final class OperatorHandlers {
    private final DaemonSessions sessions;
    private final RequestParser parser;
    private final Http http;

    OperatorHandlers(DaemonSessions sessions, RequestParser parser, Http http) {
        this.sessions = sessions;
        this.parser = parser;
        this.http = http;
    }

    void cleanupOrphans(Context ctx) {
        http.json(ctx, 200, sessions.cleanupOrphans(Http.flag(ctx, "dry_run")));
    }

    void emergency(Context ctx) {
        parser.confirmation(http.jsonBody(ctx));
        http.json(ctx, 200, sessions.emergency());
    }

    void port(Context ctx) {
        String text = ctx.pathParam("port");
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_parameter", "port must be a number 1..65535, got '" + text + "'");
        }
        if (port < Ports.MIN_PORT || port > Ports.MAX_PORT) {
            throw ApiException.badRequest("invalid_parameter", "port must be 1..65535, got " + port);
        }
        List<PortOwner> owners = Ports.owners(port);
        http.json(ctx, 200, new PortView(port, owners.isEmpty() && Ports.isFree(port), owners.stream().map(Views::holder).toList()));
    }
}
