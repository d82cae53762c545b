package dev.tether.app.daemon;

import io.javalin.http.Handler;
import java.util.List;

/**
 * One row of the daemon's route table: what Javalin serves, and what {@code /openapi.json} says
 * about it.
 *
 * @param method   HTTP method
 * @param path     path, with {@code {name}} parameters
 * @param auth     whether the bearer token is required
 * @param summary  one line for the OpenAPI document
 * @param params   query and path parameters
 * @param request  the request body's schema name, or null for none
 * @param response the success answer: a schema name, or {@code text/plain}, {@code text/html}, ...
 * @param success  the success status
 * @param errors   error statuses it may answer besides 401 (when authenticated)
 * @param handler  what serves it
 */
record Route(String method, String path, boolean auth, String summary, List<Param> params, String request, String response,
             int success, List<Integer> errors, Handler handler) {

    /** A query or path parameter. */
    record Param(String name, String in, String type, String description) {
        static Param path(String name, String description) {
            return new Param(name, "path", "string", description);
        }

        static Param query(String name, String type, String description) {
            return new Param(name, "query", type, description);
        }
    }

    boolean isJson() {
        return !response.contains("/");
    }
}
