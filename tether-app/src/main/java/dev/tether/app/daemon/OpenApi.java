package dev.tether.app.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.client.api.ApiError;
import dev.tether.client.api.EmergencyRecovery;
import dev.tether.client.api.Health;
import dev.tether.client.api.OrphanCleanup;
import dev.tether.client.api.PortView;
import dev.tether.client.api.SessionList;
import dev.tether.client.api.SessionView;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.1 document, made from the route table (so it lists exactly what is served) and
 * from the answer records (so their schemas are the JSON the daemon writes). The request body of
 * {@code POST /sessions}, whose fields take several forms, is described by hand.
 */
final class OpenApi {
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();
    private static final List<Class<?>> ANSWERS = List.of(SessionView.class, SessionList.class, Health.class, OrphanCleanup.class,
            EmergencyRecovery.class, PortView.class, ApiError.class);

    private OpenApi() {}

    static ObjectNode document(ObjectMapper mapper, List<Route> routes, String version) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Tether daemon API").put("version", version)
                .put("description", "Start process trees and stop them with nothing left behind. Errors are always"
                        + " {\"error\": {\"code\", \"message\"}}.");
        ObjectNode paths = doc.putObject("paths");
        for (Route r : routes) {
            String path = r.path();
            ObjectNode op = (paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path))
                    .putObject(r.method().toLowerCase(java.util.Locale.ROOT));
            op.put("summary", r.summary());
            op.put("operationId", operationId(r));
            if (!r.auth()) {
                op.putArray("security");
            }
            if (!r.params().isEmpty()) {
                ArrayNode ps = op.putArray("parameters");
                for (Route.Param p : r.params()) {
                    ObjectNode pn = ps.addObject().put("name", p.name()).put("in", p.in()).put("description", p.description());
                    if (p.in().equals("path")) {
                        pn.put("required", true);
                    }
                    pn.putObject("schema").put("type", p.type());
                }
            }
            if (r.request() != null) {
                op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                        .putObject("schema").put("$ref", "#/components/schemas/" + r.request());
            }
            ObjectNode responses = op.putObject("responses");
            ObjectNode ok = responses.putObject(Integer.toString(r.success())).put("description", "success");
            ObjectNode content = ok.putObject("content");
            if (r.isJson()) {
                content.putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/" + r.response());
            } else {
                content.putObject(r.response()).putObject("schema").put("type", "string");
            }
            for (int status : r.errors()) {
                error(responses, status);
            }
            if (r.auth()) {
                error(responses, 401);
            }
        }
        ObjectNode components = doc.putObject("components");
        components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "the token in $TETHER_HOME/token");
        doc.putArray("security").addObject().putArray("bearer");
        ObjectNode schemas = components.putObject("schemas");
        Deque<Class<?>> todo = new ArrayDeque<>(ANSWERS);
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (!schemas.has(c.getSimpleName())) {
                schemas.set(c.getSimpleName(), recordSchema(mapper, c, todo));
            }
        }
        schemas.set("SessionRequest", sessionRequest(mapper));
        ObjectNode confirm = schemas.putObject("Confirmation").put("type", "object").put("additionalProperties", false);
        confirm.putArray("required").add("confirm");
        confirm.putObject("properties").putObject("confirm").put("const", true);
        return doc;
    }

    private static String operationId(Route r) {
        String p = r.path().replaceAll("[{}]", "").replaceAll("[^a-zA-Z0-9]+", "_");
        return r.method().toLowerCase(java.util.Locale.ROOT) + (p.equals("_") ? "_root" : p);
    }

    private static void error(ObjectNode responses, int status) {
        responses.putObject(Integer.toString(status)).put("description", switch (status) {
            case 400 -> "the request cannot be read: syntax, types, unknown or missing fields, bad parameters";
            case 401 -> "no token, or a wrong one";
            case 404 -> "no such session (or asset)";
            case 409 -> "conflicts with what runs: the port is held, the session is not this daemon's or not live";
            case 413 -> "the body is over 1 MiB";
            case 415 -> "the body is not application/json";
            case 422 -> "well-formed but cannot be done: the program does not start, the directory is missing, not ready";
            default -> "error";
        }).putObject("content").putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/ApiError");
    }

    private static ObjectNode recordSchema(ObjectMapper mapper, Class<?> c, Deque<Class<?>> todo) {
        ObjectNode s = mapper.createObjectNode().put("type", "object");
        ObjectNode props = s.putObject("properties");
        for (RecordComponent rc : c.getRecordComponents()) {
            props.set(SNAKE.translate(rc.getName()), typeSchema(mapper, rc.getGenericType(), todo));
        }
        return s;
    }

    private static ObjectNode typeSchema(ObjectMapper mapper, Type t, Deque<Class<?>> todo) {
        ObjectNode s = mapper.createObjectNode();
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (List.class.isAssignableFrom(raw)) {
                s.put("type", "array").set("items", typeSchema(mapper, p.getActualTypeArguments()[0], todo));
            } else if (Map.class.isAssignableFrom(raw)) {
                s.put("type", "object").set("additionalProperties", typeSchema(mapper, p.getActualTypeArguments()[1], todo));
            } else {
                s.put("type", "object");
            }
            return s;
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) {
            s.put("type", "string");
        } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class) {
            s.put("type", "integer");
        } else if (c == boolean.class || c == Boolean.class) {
            s.put("type", "boolean");
        } else if (c == double.class || c == Double.class) {
            s.put("type", "number");
        } else if (c == Instant.class) {
            s.put("type", "string").put("format", "date-time");
        } else if (c == Duration.class) {
            s.put("type", "string").put("format", "duration");
        } else if (c.isEnum()) {
            ArrayNode values = s.put("type", "string").putArray("enum");
            for (Object v : c.getEnumConstants()) {
                values.add(v.toString());
            }
        } else if (c.isRecord()) {
            todo.push(c);
            s.put("$ref", "#/components/schemas/" + c.getSimpleName());
        } else {
            s.put("type", "object");
        }
        return s;
    }

    private static ObjectNode sessionRequest(ObjectMapper mapper) {
        ObjectNode s = mapper.createObjectNode().put("type", "object").put("additionalProperties", false);
        s.putArray("required").add("argv");
        ObjectNode p = s.putObject("properties");
        ObjectNode argv = p.putObject("argv").put("type", "array").put("minItems", 1).put("description", "the command, program first");
        argv.putObject("items").put("type", "string");
        p.putObject("cwd").put("type", "string").put("description", "absolute working directory");
        p.putObject("env").put("type", "object").put("description", "variables to set").putObject("additionalProperties").put("type", "string");
        p.putObject("inherit_env").put("type", "boolean").put("description", "start from the daemon's environment (default true)");
        p.putObject("name").put("type", "string");
        p.putObject("tags").put("type", "array").putObject("items").put("type", "string");
        ArrayNode port = p.putObject("port").put("description", "a fixed port, a range, or any free one").putArray("oneOf");
        port.addObject().put("type", "integer").put("minimum", 1).put("maximum", 65535);
        ObjectNode range = port.addObject().put("type", "object").put("additionalProperties", false);
        range.putArray("required").add("range");
        range.putObject("properties").putObject("range").put("type", "array").put("minItems", 2).put("maxItems", 2)
                .putObject("items").put("type", "integer").put("minimum", 1).put("maximum", 65535);
        port.addObject().put("const", "any");
        p.putObject("port_env").put("type", "string").put("description", "the variable the port is exported as (default PORT)");
        ArrayNode dir = p.putObject("session_dir").put("description", "true, or a relative name inside the sessions base").putArray("oneOf");
        dir.addObject().put("type", "boolean");
        dir.addObject().put("type", "string");
        duration(p, "grace", "stop signal to SIGKILL (default 10s)");
        p.putObject("stop_signal").put("type", "string").put("description", "TERM (default), INT, HUP, QUIT, ...");
        duration(p, "idle_timeout", "stop and mark CULLED after this long without activity");
        ArrayNode ready = p.putObject("ready").put("description", "a readiness probe").putArray("oneOf");
        probe(ready, "tcp");
        probe(ready, "http", "path");
        probe(ready, "log", "pattern");
        ArrayNode restart = p.putObject("restart").put("description", "what to do when the main process exits by itself").putArray("oneOf");
        restart.addObject().put("type", "string").putArray("enum").add("never").add("on-failure");
        ObjectNode rp = restart.addObject().put("type", "object").put("additionalProperties", false);
        rp.putArray("required").add("policy");
        ObjectNode rpp = rp.putObject("properties");
        rpp.putObject("policy").put("type", "string").putArray("enum").add("never").add("on-failure");
        rpp.putObject("max_restarts").put("type", "integer").put("minimum", 0);
        duration(rpp, "backoff", "wait before the first restart, doubled each time (default 1s)");
        duration(rpp, "max_backoff", "the longest wait (default 1m)");
        return s;
    }

    private static void duration(ObjectNode props, String name, String description) {
        props.putObject(name).put("type", "string").put("description", description + "; e.g. 500ms, 10s, 1m30s or PT10S");
    }

    private static void probe(ArrayNode oneOf, String type, String... fields) {
        ObjectNode o = oneOf.addObject().put("type", "object").put("additionalProperties", false);
        o.putArray("required").add(type);
        ObjectNode body = o.putObject("properties").putObject(type).put("type", "object").put("additionalProperties", false);
        ObjectNode bp = body.putObject("properties");
        for (String f : fields) {
            bp.putObject(f).put("type", "string");
        }
        duration(bp, "timeout", "how long to wait (default 30s)");
    }
}
