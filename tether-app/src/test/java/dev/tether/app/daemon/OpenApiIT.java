package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.client.api.SessionRequest;
import dev.tether.client.api.SessionView;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /openapi.json} matches what is served: every documented operation answers (no "no route",
 * no 405), and the documented fields of a session are the fields the daemon writes.
 */
class OpenApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path home;
    static TestDaemon daemon;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        daemon = TestDaemon.start(home);
        doc = JSON.readTree(daemon.client().openApi());
    }

    @AfterAll
    static void stop() {
        daemon.close();
        assertThat(daemon.leftovers()).isEmpty();
    }

    @Test
    void everyDocumentedOperationIsServed() throws Exception {
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                String path = p.getKey().replace("{id}", "nosuchsession").replace("{port}", "1").replace("{file}", "app.js");
                if (path.equals("/emergency-recovery")) {
                    continue; // answering it for real would stop this user's marked processes
                }
                boolean body = p.getValue().get(method.toLowerCase()).has("requestBody");
                HttpResponse<String> r = daemon.send(method, path, body ? "application/json" : null, body ? "{}" : null,
                        "Bearer " + daemon.token());
                assertThat(r.statusCode()).as("%s %s", method, path).isNotEqualTo(405);
                if (r.statusCode() == 404) {
                    assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).as("%s %s", method, path)
                            .doesNotStartWith("no route");
                }
                operations++;
            }
        }
        assertThat(operations).isGreaterThanOrEqualTo(14);
    }

    @Test
    void theSessionSchemaNamesTheFieldsTheDaemonWrites() throws Exception {
        SessionView s = daemon.client().start(SessionRequest.of("sleep", "60"));
        try {
            JsonNode written = JSON.readTree(daemon.json("GET", "/sessions/" + s.id(), null).body());
            Set<String> documented = new HashSet<>();
            doc.get("components").get("schemas").get("SessionView").get("properties").fieldNames().forEachRemaining(documented::add);
            Set<String> actual = new HashSet<>();
            written.fieldNames().forEachRemaining(actual::add);
            assertThat(documented).containsAll(actual);
        } finally {
            daemon.client().stop(s.id());
        }
    }

    @Test
    void requestSchemaListsEveryFieldTheParserAccepts() {
        Set<String> documented = new HashSet<>();
        doc.get("components").get("schemas").get("SessionRequest").get("properties").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).isEqualTo(RequestParser.FIELDS);
    }
}
