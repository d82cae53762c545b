package dev.tether.app.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.client.ApiJson;
import dev.tether.client.api.DirChoice;
import dev.tether.client.api.PortChoice;
import dev.tether.client.api.ReadyCheck;
import dev.tether.client.api.RestartPolicy;
import dev.tether.client.api.SessionRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the Java client sends is exactly what the daemon's parser reads back: the two sides of the API agree. */
class RequestRoundTripTest {
    private final RequestParser parser = new RequestParser(ApiJson.mapper());

    static List<SessionRequest> requests() {
        SessionRequest full = new SessionRequest(List.of("python3", "-m", "http.server"), "/srv", Map.of("DEBUG", "1"), false,
                "web", List.of("a", "b"), PortChoice.range(20000, 20099), "HTTP_PORT", DirChoice.named("data"),
                Duration.ofMillis(1500), "INT", Duration.ofMinutes(30), ReadyCheck.http("/health", Duration.ofSeconds(5)),
                new RestartPolicy(RestartPolicy.ON_FAILURE, 4, Duration.ofMillis(250), Duration.ofSeconds(8)));
        return List.of(SessionRequest.of("sleep", "1"), full,
                SessionRequest.of("x").withPort(PortChoice.fixed(8080)).withSessionDir(DirChoice.byId())
                        .withReady(ReadyCheck.tcp(null)).withRestart(RestartPolicy.never()),
                SessionRequest.of("x").withPort(PortChoice.any()).withReady(ReadyCheck.log("listening on \\d+", Duration.ofSeconds(2))));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void parsesBackToWhatWasSent(SessionRequest sent) throws Exception {
        byte[] wire = ApiJson.mapper().writeValueAsBytes(sent);
        assertThat(parser.session(wire)).isEqualTo(sent);
    }
}
