package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.suppressed;

import dev.tether.Ports;
import dev.tether.junit5.fixtures.CrashingServiceFixture;
import dev.tether.junit5.fixtures.DeclarativeFixture;
import dev.tether.junit5.fixtures.FailingStartFixture;
import dev.tether.junit5.fixtures.FailingTestFixture;
import dev.tether.junit5.fixtures.FixtureOnly;
import dev.tether.junit5.fixtures.InstanceFieldFixture;
import dev.tether.junit5.fixtures.LeftoverFixture;
import dev.tether.junit5.fixtures.PerTestFixture;
import dev.tether.junit5.fixtures.SpawnFailureFixture;
import dev.tether.junit5.fixtures.StopOrderFixture;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Fixture classes run through JUnit's EngineTestKit: whatever their tests do (pass, fail, abort) or
 * their services do (fail to start, crash, leave something behind), the services are stopped, the
 * outcome is reported as it should be, and nothing survives.
 */
class ServiceOutcomesIT {
    private final List<String> tags = new ArrayList<>();

    @AfterEach
    void nothingSurvives() {
        tags.forEach(Leftovers::assertNoSurvivors);
    }

    private static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter(FixtureOnly.PARAMETER, "run").execute();
    }

    private static Throwable containerFailure(EngineExecutionResults results) {
        return results.containerEvents().failed().stream().findFirst()
                .flatMap(e -> e.getPayload(TestExecutionResult.class)).flatMap(TestExecutionResult::getThrowable)
                .orElseThrow(() -> new AssertionError("no container failed"));
    }

    @Test
    void allTestsPassing() throws Exception {
        tags.add(DeclarativeFixture.TAG);
        EngineExecutionResults r = run(DeclarativeFixture.class);

        r.testEvents().assertStatistics(s -> s.started(3).succeeded(3).failed(0));
        r.containerEvents().assertStatistics(s -> s.failed(0));
        Leftovers.assertSessionsGone(DeclarativeFixture.SEEN.sessions);
        Leftovers.assertPortReusable(DeclarativeFixture.SEEN.port("backend"));
        Path log = (Path) DeclarativeFixture.SEEN.values.get("worker log");
        assertThat(log).isEqualTo(Path.of("target", "tether-services", DeclarativeFixture.class.getName(), "worker.log")
                .toAbsolutePath());
        assertThat(Files.readString(log)).startsWith("watching backend on ");
    }

    @Test
    void aFailingTestStillStopsAndVerifiesTheServices() {
        String tag = FailingTestFixture.TAG;
        tags.addAll(List.of(tag + "-tree", tag + "-escapee", tag + "-holder"));
        EngineExecutionResults r = run(FailingTestFixture.class);

        r.testEvents().assertStatistics(s -> s.started(3).succeeded(1).failed(1).aborted(1));
        r.testEvents().assertThatEvents().haveExactly(1,
                event(test("fails"), finishedWithFailure(message(m -> m.contains("answered 500")))));
        r.containerEvents().assertStatistics(s -> s.failed(0)); // stopped, and the check found nothing
        Leftovers.assertSessionsGone(FailingTestFixture.SEEN.sessions);
        int port = FailingTestFixture.SEEN.port("holder");
        assertThat(Ports.isFree(port)).as("port %d strictly free", port).isTrue();
    }

    @Test
    void servicesStopNewestFirstEachWithItsGrace() throws Exception {
        tags.add(StopOrderFixture.TAG);
        EngineExecutionResults r = run(StopOrderFixture.class);

        r.testEvents().assertStatistics(s -> s.succeeded(1));
        r.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(StopOrderFixture.GRACEFUL_MARKER).as("the slow service finished its graceful shutdown").exists();
        assertThat(Files.readAllLines(StopOrderFixture.ORDER)).containsExactly("second", "first");
        assertThat(Files.getLastModifiedTime(StopOrderFixture.GRACEFUL_MARKER).toInstant())
                .as("the newest service was stopped first").isBefore(Files.getLastModifiedTime(StopOrderFixture.ORDER).toInstant());
    }

    @Test
    void aFailingStartStopsTheEarlierServiceAndSaysWhyWithTheLogTail() {
        tags.add(FailingStartFixture.TAG);
        EngineExecutionResults r = run(FailingStartFixture.class);

        r.testEvents().assertStatistics(s -> s.started(0));
        Throwable t = containerFailure(r);
        assertThat(t).isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("service 'frontend' (2 of 2) did not start")
                .hasMessageContaining("exited 3")
                .hasMessageContaining("config error: BACKEND_URL is not set")
                .hasMessageContaining("stopped: frontend (had exited: exited 3)")
                .hasMessageContaining("backend (stopped in");
        ServiceStartException e = (ServiceStartException) t;
        assertThat(e.service()).isEqualTo("frontend");
        assertThat(e.logTail()).contains("frontend starting", "config error: BACKEND_URL is not set");
        assertThat(e.log()).hasValueSatisfying(p -> assertThat(p).hasFileName("frontend.log"));
        assertThat(FailingStartFixture.SEEN.values).doesNotContainKey("ran");
        assertThat(Ports.isFree(FailingStartFixture.PORT)).as("the backend's port").isTrue();
    }

    @Test
    void aServiceThatCannotBeSpawnedStopsTheEarlierOne() {
        tags.add(SpawnFailureFixture.TAG);
        EngineExecutionResults r = run(SpawnFailureFixture.class);

        r.testEvents().assertStatistics(s -> s.started(0));
        assertThat(containerFailure(r)).isInstanceOf(ServiceStartException.class)
                .hasMessageContaining("service 'frontend' (2 of 2) did not start")
                .hasMessageContaining("/nonexistent/bin/frontend-server")
                .hasMessageContaining("ENOENT")
                .hasMessageContaining("stopped: backend (stopped in");
        assertThat(Ports.isFree(SpawnFailureFixture.PORT)).as("the backend's port").isTrue();
    }

    @Test
    void perTestServicesAreFreshForEachTest() {
        tags.addAll(List.of(PerTestFixture.TAG, PerTestFixture.TAG + "-holder"));
        EngineExecutionResults r = run(PerTestFixture.class);

        r.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        r.containerEvents().assertStatistics(s -> s.failed(0));
        assertThat(PerTestFixture.SEEN.sessions).hasSize(2).doesNotHaveDuplicates();
        Leftovers.assertSessionsGone(PerTestFixture.SEEN.sessions);
        Leftovers.assertPortReusable(PerTestFixture.SEEN.port("first"));
        Leftovers.assertPortReusable(PerTestFixture.SEEN.port("second"));
    }

    @Test
    void aServiceThatDiesIsNamedInTheFailureAndFailsTheNextTest() {
        tags.add(CrashingServiceFixture.TAG);
        EngineExecutionResults r = run(CrashingServiceFixture.class);

        r.testEvents().assertStatistics(s -> s.started(2).failed(2));
        r.testEvents().assertThatEvents()
                .haveExactly(1, event(test("serviceDiesMidTest"), finishedWithFailure(message("connection refused"),
                        suppressed(0, instanceOf(ServiceExitedException.class),
                                message(m -> m.contains("service 'flaky' ended during") && m.contains("killed by SIGKILL"))))))
                .haveExactly(1, event(test("runsAfterTheCrash"), finishedWithFailure(instanceOf(ServiceExitedException.class),
                        message(m -> m.contains("service 'flaky' ended before")))));
        assertThat(CrashingServiceFixture.SEEN.values).doesNotContainKey("second ran");
        r.containerEvents().assertStatistics(s -> s.failed(0));
        Leftovers.assertSessionsGone(CrashingServiceFixture.SEEN.sessions);
    }

    @Test
    void anExtensionInAnInstanceFieldIsAMistakeThatSaysHowToFixIt() {
        tags.add(InstanceFieldFixture.TAG);
        EngineExecutionResults r = run(InstanceFieldFixture.class);

        r.testEvents().assertThatEvents().haveExactly(1, event(test("needsServices"),
                finishedWithFailure(message(m -> m.contains("register it in a static field")))));
    }

    @Test
    void whatSurvivesTheStopFailsTheRunNamingPidAndCommand() throws Exception {
        tags.add(LeftoverFixture.TAG);
        EngineExecutionResults r;
        try {
            r = run(LeftoverFixture.class);
        } finally {
            release();
        }
        r.testEvents().assertStatistics(s -> s.succeeded(1));
        Throwable t = containerFailure(r);
        assertThat(t).isInstanceOf(ServicesLeftBehindException.class)
                .hasMessageContaining("port " + LeftoverFixture.PORT + " of service 'api' cannot be bound again: held by pid "
                        + ProcessHandle.current().pid());
        Process imposter = (Process) LeftoverFixture.SEEN.values.get("imposter");
        if ((Boolean) LeftoverFixture.SEEN.values.get("cgroup")) {
            // outside the session's cgroup, so the stop did not reach it; the marker scan finds it
            assertThat(((ServicesLeftBehindException) t).survivors()).singleElement().satisfies(s -> {
                assertThat(s.service()).isEqualTo("api");
                assertThat(s.pid()).isEqualTo(imposter.pid());
                assertThat(s.command()).isEqualTo("sleep 600");
            });
            assertThat(t).hasMessageContaining("pid " + imposter.pid() + " sleep 600");
        }
    }

    /** Releases what {@link LeftoverFixture} left: its listener, and its imposter, by the handle of the child we own. */
    private static void release() throws Exception {
        if (LeftoverFixture.SEEN.values.get("listener") instanceof ServerSocket s) {
            s.close();
        }
        if (LeftoverFixture.SEEN.values.get("imposter") instanceof Process p) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
