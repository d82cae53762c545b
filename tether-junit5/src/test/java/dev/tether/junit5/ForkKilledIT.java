package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.junit5.fixtures.BlockingFixture;
import dev.tether.junit5.fixtures.ChaosServices;
import dev.tether.junit5.fixtures.FixtureMain;
import dev.tether.testkit.Chaos;
import dev.tether.testkit.ChildJvm;
import dev.tether.testkit.Leaks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forked test JVM (JUnit's launcher in a child JVM, as Surefire and Failsafe fork it) runs a test
 * class whose services are up (one of them ignores SIGTERM, so a graceful stop takes the whole
 * grace period), and is stopped mid-test: SIGTERM and SIGINT (the build is stopped,
 * Ctrl+C) and SIGKILL (a CI timeout). Nothing of the services survives and the port is free, within
 * the grace period + 1 s, and within 1 s of the SIGKILL (the guardian).
 */
class ForkKilledIT {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private final List<String> tags = new ArrayList<>();

    @AfterEach
    void nothingSurvives() {
        tags.forEach(Leftovers::assertNoSurvivors);
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT", "KILL"})
    void servicesDieWithTheTestJvm(String signal) throws Exception {
        String tag = Chaos.newTag("fork-" + signal);
        tags.addAll(List.of(tag + "-tree", tag + "-escapee", tag + "-holder", tag + "-ignorer"));
        try (ChildJvm child = ChildJvm.start(FixtureMain.class, Map.of(), List.of(BlockingFixture.class.getName(), tag))) {
            String[] ready = child.awaitLine("ready ", SETTLE).split(" ");
            int port = Integer.parseInt(ready[1]);
            String holderSession = ready[2];
            await().atMost(SETTLE).until(() -> Chaos.survivors(tag + "-tree") == 121
                    && Chaos.survivors(tag + "-escapee") == 2 && Chaos.survivors(tag + "-ignorer") == 2 && Chaos.portHeld(port));

            long t0 = System.nanoTime();
            child.signal(signal);
            Duration limit = signal.equals("KILL") ? Duration.ofSeconds(1) : ChaosServices.GRACE.plusSeconds(1);
            await().atMost(limit.plusSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> allGone(tag, port));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.println("SIG" + signal + ": nothing left after " + took.toMillis() + " ms");
            assertThat(took).as("time until nothing was left after SIG%s", signal).isLessThan(limit);
            if (!signal.equals("KILL")) {
                assertThat(took).as("the SIGTERM-ignoring service got its grace period").isGreaterThanOrEqualTo(ChaosServices.GRACE);
            }
            assertThat(Leaks.withEnv("TETHER_SESSION", holderSession)).isEmpty();
            child.waitFor(Duration.ofSeconds(15));
        }
    }

    private static boolean allGone(String tag, int port) {
        return Chaos.survivors(tag + "-tree") == 0 && Chaos.survivors(tag + "-escapee") == 0
                && Chaos.survivors(tag + "-holder") == 0 && Chaos.survivors(tag + "-ignorer") == 0 && Chaos.portFree(port);
    }
}
