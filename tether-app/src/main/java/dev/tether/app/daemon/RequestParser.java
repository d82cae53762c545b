package dev.tether.app.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.tether.Durations;
import dev.tether.client.api.DirChoice;
import dev.tether.client.api.PortChoice;
import dev.tether.client.api.ReadyCheck;
import dev.tether.client.api.RestartPolicy;
import dev.tether.client.api.SessionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code POST /sessions} body into a {@link SessionRequest}, checking its shape: JSON
 * syntax, an object, known fields only, each of the right type and range. Every refusal is a 400
 * naming the field, what it got and what it accepts. Whether the request can be carried out (the
 * program exists, the directory is there, the port is free) is checked when it is started.
 */
final class RequestParser {
    static final Set<String> FIELDS = Set.of("argv", "cwd", "env", "inherit_env", "name", "tags", "port", "port_env",
            "session_dir", "grace", "stop_signal", "idle_timeout", "ready", "restart");
    private static final int MAX_ARGS = 4096;
    private static final int MAX_RESTARTS = 1000;

    private final ObjectReader reader;

    RequestParser(ObjectMapper mapper) {
        this.reader = mapper.readerFor(JsonNode.class)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** Parses any JSON body, answering 400 with the position of a syntax error. */
    JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("empty_body", "the request body is empty; send a JSON object, e.g. {\"argv\": [\"sleep\", \"60\"]}");
        }
        try {
            JsonNode n = reader.readValue(body);
            if (n == null || n.isMissingNode()) {
                throw ApiException.badRequest("empty_body", "the request body holds no JSON value");
            }
            return n;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw ApiException.badRequest("malformed_json", "the body is not valid JSON" + (loc == null ? "" :
                    " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")") + ": " + plain(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("malformed_json", "cannot read the body: " + e.getMessage());
        }
    }

    SessionRequest session(byte[] body) {
        JsonNode root = json(body);
        if (!root.isObject()) {
            throw ApiException.badRequest("not_an_object", "the body must be a JSON object, got " + kind(root));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + f + "'; known fields: " + FIELDS.stream().sorted().toList());
            }
        }
        JsonNode argvNode = root.get("argv");
        if (argvNode == null || argvNode.isNull()) {
            throw ApiException.field("argv", "is required: the command as an array of strings, program first, e.g. [\"python3\", \"-m\", \"http.server\"]");
        }
        List<String> argv = strings("argv", argvNode, MAX_ARGS);
        if (argv.isEmpty()) {
            throw ApiException.field("argv", "must not be empty: give at least the program to run");
        }
        if (argv.getFirst().isBlank()) {
            throw ApiException.field("argv[0]", "must name a program, got an empty string");
        }
        return new SessionRequest(argv, text(root, "cwd"), env(root.get("env")), bool(root, "inherit_env"), text(root, "name"),
                opt(root, "tags") == null ? null : strings("tags", root.get("tags"), 64), port(root.get("port")),
                text(root, "port_env"), sessionDir(root.get("session_dir")), duration(root, "grace"), text(root, "stop_signal"),
                duration(root, "idle_timeout"), ready(root.get("ready")), restart(root.get("restart")));
    }

    /** {@code {"confirm": true}} and nothing else. */
    void confirmation(byte[] body) {
        JsonNode root = json(body);
        if (!root.isObject()) {
            throw ApiException.badRequest("not_an_object", "the body must be {\"confirm\": true}, got " + kind(root));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("confirm")) {
                throw ApiException.badRequest("unknown_field", "unknown field '" + f + "'; the body must be {\"confirm\": true}");
            }
        }
        JsonNode c = root.get("confirm");
        if (c == null || !c.isBoolean() || !c.booleanValue()) {
            throw ApiException.unprocessable("not_confirmed", "emergency recovery stops every session and every Tether-marked process"
                    + " of this user; send {\"confirm\": true} to go ahead");
        }
    }

    private static JsonNode opt(JsonNode root, String f) {
        JsonNode n = root.get(f);
        return n == null || n.isNull() ? null : n;
    }

    private static String text(JsonNode root, String f) {
        JsonNode n = opt(root, f);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.field(f, "must be a string, got " + kind(n));
        }
        return n.textValue();
    }

    private static Boolean bool(JsonNode root, String f) {
        JsonNode n = opt(root, f);
        if (n == null) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ApiException.field(f, "must be true or false, got " + kind(n));
        }
        return n.booleanValue();
    }

    private static Duration duration(JsonNode root, String f) {
        JsonNode n = opt(root, f);
        return n == null ? null : duration(f, n);
    }

    private static Duration duration(String f, JsonNode n) {
        if (!n.isTextual()) {
            throw ApiException.field(f, "must be a duration string such as \"10s\", \"500ms\" or \"1m30s\", got " + kind(n));
        }
        try {
            Duration d = Durations.parse(n.textValue());
            if (d.isNegative()) {
                throw ApiException.field(f, "must not be negative, got \"" + n.textValue() + "\"");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw ApiException.field(f, e.getMessage());
        }
    }

    private static List<String> strings(String f, JsonNode n, int max) {
        if (!n.isArray()) {
            throw ApiException.field(f, "must be an array of strings, got " + kind(n));
        }
        if (n.size() > max) {
            throw ApiException.field(f, "has " + n.size() + " elements, at most " + max + " are accepted");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                throw ApiException.field(f + "[" + i + "]", "must be a string, got " + kind(e));
            }
            out.add(e.textValue());
        }
        return out;
    }

    private static Map<String, String> env(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiException.field("env", "must be an object of string values, e.g. {\"DEBUG\": \"1\"}, got " + kind(n));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw ApiException.field("env." + e.getKey(), "must be a string, got " + kind(e.getValue()));
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static PortChoice port(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual() && n.textValue().equals("any")) {
            return PortChoice.any();
        }
        if (n.isIntegralNumber()) {
            return PortChoice.fixed(portNumber("port", n));
        }
        if (n.isObject()) {
            JsonNode r = n.get("range");
            if (n.size() != 1 || r == null) {
                throw ApiException.field("port", "an object must be {\"range\": [LOW, HIGH]}, got " + n);
            }
            if (!r.isArray() || r.size() != 2) {
                throw ApiException.field("port.range", "must be [LOW, HIGH], two port numbers, got " + r);
            }
            int lo = portNumber("port.range[0]", r.get(0));
            int hi = portNumber("port.range[1]", r.get(1));
            if (lo > hi) {
                throw ApiException.field("port.range", "LOW must not be above HIGH, got [" + lo + ", " + hi + "]");
            }
            return PortChoice.range(lo, hi);
        }
        throw ApiException.field("port", "must be a port number (1..65535), {\"range\": [LOW, HIGH]} or \"any\", got " + kind(n));
    }

    private static int portNumber(String f, JsonNode n) {
        if (n == null || !n.isIntegralNumber()) {
            throw ApiException.field(f, "must be an integer port number 1..65535, got " + (n == null ? "nothing" : kind(n)));
        }
        if (!n.canConvertToInt() || n.intValue() < 1 || n.intValue() > 65535) {
            throw ApiException.field(f, "must be 1..65535, got " + n.asText());
        }
        return n.intValue();
    }

    private static DirChoice sessionDir(JsonNode n) {
        if (n == null || n.isNull() || (n.isBoolean() && !n.booleanValue())) {
            return null;
        }
        if (n.isBoolean()) {
            return DirChoice.byId();
        }
        if (n.isTextual()) {
            if (n.textValue().isBlank()) {
                throw ApiException.field("session_dir", "a name must not be empty; use true for a directory named after the session");
            }
            return DirChoice.named(n.textValue());
        }
        throw ApiException.field("session_dir", "must be true, false, or a relative directory name, got " + kind(n));
    }

    private static ReadyCheck ready(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String accepted = "{\"tcp\": {\"timeout\": \"10s\"}}, {\"http\": {\"path\": \"/\", \"timeout\": \"10s\"}} or {\"log\": {\"pattern\": \"REGEX\", \"timeout\": \"10s\"}}";
        if (!n.isObject() || n.size() != 1) {
            throw ApiException.field("ready", "must be one of " + accepted + ", got " + (n.isObject() ? n.toString() : kind(n)));
        }
        String type = n.fieldNames().next();
        JsonNode body = n.get(type);
        if (!body.isObject()) {
            throw ApiException.field("ready." + type, "must be an object, got " + kind(body));
        }
        Set<String> allowed = switch (type) {
            case "tcp" -> Set.of("timeout");
            case "http" -> Set.of("path", "timeout");
            case "log" -> Set.of("pattern", "timeout");
            default -> throw ApiException.field("ready", "unknown probe '" + type + "'; use tcp, http or log: " + accepted);
        };
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.field("ready." + type, "unknown field '" + f + "'; known: " + allowed.stream().sorted().toList());
            }
        }
        Duration timeout = duration(body, "timeout");
        String prefix = "ready." + type + ".";
        return switch (type) {
            case "tcp" -> ReadyCheck.tcp(timeout);
            case "http" -> {
                String path = text(body, "path");
                yield ReadyCheck.http(path == null ? "/" : path, timeout);
            }
            default -> {
                String pattern = text(body, "pattern");
                if (pattern == null || pattern.isEmpty()) {
                    throw ApiException.field(prefix + "pattern", "is required: a regular expression a log line must match");
                }
                yield ReadyCheck.log(pattern, timeout);
            }
        };
    }

    private static RestartPolicy restart(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return switch (n.textValue()) {
                case RestartPolicy.NEVER -> RestartPolicy.never();
                case RestartPolicy.ON_FAILURE -> new RestartPolicy(RestartPolicy.ON_FAILURE, null, null, null);
                default -> throw ApiException.field("restart", "must be \"never\" or \"on-failure\", got \"" + n.textValue() + "\"");
            };
        }
        if (!n.isObject()) {
            throw ApiException.field("restart", "must be \"never\", \"on-failure\" or {\"policy\": \"on-failure\", \"max_restarts\": 3, \"backoff\": \"1s\"}, got " + kind(n));
        }
        Set<String> allowed = Set.of("policy", "max_restarts", "backoff", "max_backoff");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.field("restart", "unknown field '" + f + "'; known: " + allowed.stream().sorted().toList());
            }
        }
        String policy = text(n, "policy");
        if (policy == null || !(policy.equals(RestartPolicy.NEVER) || policy.equals(RestartPolicy.ON_FAILURE))) {
            throw ApiException.field("restart.policy", "must be \"never\" or \"on-failure\", got " + (policy == null ? "nothing" : "\"" + policy + "\""));
        }
        Integer max = null;
        JsonNode m = opt(n, "max_restarts");
        if (m != null) {
            if (!m.isIntegralNumber() || !m.canConvertToInt() || m.intValue() < 0 || m.intValue() > MAX_RESTARTS) {
                throw ApiException.field("restart.max_restarts", "must be an integer 0.." + MAX_RESTARTS + ", got " + m);
            }
            max = m.intValue();
        }
        return new RestartPolicy(policy, max, duration(n, "backoff"), duration(n, "max_backoff"));
    }

    /** Jackson's message without its note about the source it leaves out. */
    private static String plain(String message) {
        int at = message.indexOf(" (start marker at [Source");
        if (at < 0) {
            at = message.indexOf("\n at [Source");
        }
        return at < 0 ? message : message.substring(0, at);
    }

    static String kind(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case STRING -> "a string (\"" + abbreviate(n.textValue()) + "\")";
            case NUMBER -> "a number (" + n.asText() + ")";
            case BOOLEAN -> n.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
