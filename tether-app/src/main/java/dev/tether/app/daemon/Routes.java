package dev.tether.app.daemon;

import dev.tether.app.daemon.Route.Param;
import java.util.List;

/** The daemon's one route table: what it serves, and (through {@link OpenApi}) what it documents. */
final class Routes {
    private Routes() {}

    static List<Route> table(SessionHandlers s, OperatorHandlers o, HealthHandlers h, Dashboard d) {
        Param id = Param.path("id", "a session id (its first run's), or any run's id");
        return List.of(
                new Route("GET", "/healthz", false, "Liveness: 200 while the daemon answers (no token needed)", List.of(), null,
                        "text/plain", 200, List.of(), h::healthz),
                new Route("GET", "/health", true, "Registry reachable and consistent, guardian alive, containment level, sessions by state",
                        List.of(), null, "Health", 200, List.of(), h::health),
                new Route("GET", "/metrics", true, "Prometheus metrics (text format)", List.of(), null, "text/plain", 200, List.of(),
                        h::metrics),
                new Route("GET", "/openapi.json", true, "This document", List.of(), null, "application/json", 200, List.of(),
                        h::openApiDocument),
                new Route("POST", "/sessions", true, "Start a session; answers once it is ready (when it has a readiness probe)",
                        List.of(), "SessionRequest", "SessionView", 201, List.of(400, 409, 413, 415, 422), s::create),
                new Route("GET", "/sessions", true, "List sessions, newest first (by default the live ones)", List.of(
                        Param.query("state", "string", "only these states (repeat, or comma-separated)"),
                        Param.query("name", "string", "only sessions with this name"),
                        Param.query("tag", "string", "only sessions with this tag"),
                        Param.query("all", "boolean", "include ended sessions (history)"),
                        Param.query("limit", "integer", "at most this many (default 1000)")), null, "SessionList", 200, List.of(400),
                        s::list),
                new Route("GET", "/sessions/{id}", true, "One session: state, identity, port, directory, live process tree, CPU and"
                        + " memory, activity, exit, last stop report", List.of(id), null, "SessionView", 200, List.of(404), s::get),
                new Route("DELETE", "/sessions/{id}", true, "Stop a session's whole tree: the stop signal, its grace, then SIGKILL;"
                        + " answers once nothing of it lives", List.of(id, Param.query("force", "boolean", "skip the grace period")),
                        null, "SessionView", 200, List.of(400, 404, 409), s::delete),
                new Route("POST", "/sessions/{id}/activity", true, "Record activity (resets the idle time used for culling)",
                        List.of(id), null, "SessionView", 200, List.of(404, 409), s::activity),
                new Route("GET", "/sessions/{id}/logs", true, "The session's output (stdout and stderr), last lines; with follow,"
                        + " then every new line until the session ends", List.of(id,
                        Param.query("tail", "integer", "how many last lines (default 100)"),
                        Param.query("follow", "boolean", "keep streaming until the session ends")), null, "text/plain", 200,
                        List.of(400, 404), s::logs),
                new Route("POST", "/cleanup/orphans", true, "Stop every Tether-marked process and registry leftover that belongs"
                        + " to no live session; live sessions are never touched", List.of(
                        Param.query("dry_run", "boolean", "only list what would be stopped")), null, "OrphanCleanup", 200,
                        List.of(400), o::cleanupOrphans),
                new Route("POST", "/emergency-recovery", true, "Stop every session and every Tether-marked process of this user;"
                        + " needs {\"confirm\": true}", List.of(), "Confirmation", "EmergencyRecovery", 200,
                        List.of(400, 413, 415, 422), o::emergency),
                new Route("GET", "/ports/{port}", true, "Who holds a TCP port: pid, user, command, start time, Tether session",
                        List.of(Param.path("port", "a TCP port 1..65535")), null, "PortView", 200, List.of(400), o::port),
                new Route("GET", "/", false, "The web dashboard", List.of(), null, "text/html", 200, List.of(), d::index),
                new Route("GET", "/assets/{file}", false, "The dashboard's scripts and styles", List.of(Param.path("file", "an asset name")),
                        null, "text/plain", 200, List.of(404), d::asset));
    }
}
