package dev.tether.app;

import dev.tether.client.SessionQuery;
import dev.tether.client.TetherApiException;
import dev.tether.client.TetherClient;
import dev.tether.client.api.SessionView;
import dev.tether.client.api.StopView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tether stop}: stops sessions of the home's daemon ({@code DELETE /sessions/{id}}), all at
 * once, each with its grace; returns when nothing of them lives, and says what each stop found.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stop sessions of this home's daemon, each with its whole tree.",
            "The stop signal goes to every process, SIGKILL after the grace period; returns",
            "once nothing of them lives, and shows what each stop found: the processes",
            "signalled, those that needed SIGKILL, and how long it took."},
        footer = {"", "Examples:", "  tether stop k3x9q2m7d8p4w6ta", "  tether stop --all",
            "  tether stop --force k3x9q2m7d8p4w6ta   # SIGKILL now, no grace", "  tether stop --all --json", "",
            "Exits 1 when a session could not be stopped (an unknown id, say), 3 when",
            "--all finds no live session, 4 when a session belongs to another supervisor,",
            "5 when no daemon runs for the home."})
final class StopCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "ID", description = "Sessions to stop (tether ps lists them).")
    List<String> ids = List.of();

    @Option(names = "--all", description = "Stop every live session of the daemon.")
    boolean all;

    @Option(names = "--force", description = "Skip the grace period: SIGKILL at once.")
    boolean force;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @CommandLine.ParentCommand
    TetherCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The JSON shape of one stop; {@code error} is set instead of the findings when it failed. */
    record Result(String id, String name, String state, boolean already_ended, Integer signalled, Integer killed,
                  Integer survivors, Long elapsed_ms, Boolean graceful, String reason, Error error) {}

    record Error(int status, String code, String message) {}

    /** One stop as it came back: the session after it, or what the daemon refused. */
    private record Outcome(String id, SessionView session, boolean alreadyEnded, TetherApiException error) {
        Result json() {
            if (error != null) {
                return new Result(id, null, null, false, null, null, null, null, null, null,
                        new Error(error.status(), error.code(), error.reason()));
            }
            StopView r = session.lastStop();
            return new Result(session.id(), session.name(), session.state().name(), alreadyEnded,
                    r == null ? null : r.signalled(), r == null ? null : r.killed(), r == null ? null : r.survivors(),
                    r == null ? null : r.elapsedMs(), r == null ? null : r.graceful(), r == null ? null : r.reason(), null);
        }
    }

    @Override
    public Integer call() {
        if (all == !ids.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), all
                    ? "give either session ids or --all, not both"
                    : "name the sessions to stop (tether ps lists them), or --all");
        }
        TetherClient client = HomeDaemon.require(parent.settings().home());
        List<String> targets = all ? liveSessions(client) : ids;
        PrintWriter out = spec.commandLine().getOut();
        if (targets.isEmpty()) {
            if (json) {
                Json.print(out, List.of());
            } else {
                out.println("nothing to do: no live session");
                out.flush();
            }
            return ExitCodes.NOTHING_TO_DO;
        }
        List<Outcome> outcomes = stopAll(client, targets);
        if (json) {
            Json.print(out, outcomes.stream().map(Outcome::json).toList());
        } else {
            print(out, outcomes);
        }
        List<TetherApiException> errors = outcomes.stream().map(Outcome::error).filter(e -> e != null).toList();
        if (errors.isEmpty()) {
            return ExitCodes.OK;
        }
        boolean onlyRefused = errors.stream().allMatch(e -> DaemonErrors.exitCode(e) == ExitCodes.REFUSED);
        return onlyRefused ? ExitCodes.REFUSED : ExitCodes.FAILURE;
    }

    /** The daemon's own live sessions; another supervisor's are left to it. */
    private static List<String> liveSessions(TetherClient client) {
        return client.sessions(SessionQuery.live()).sessions().stream().filter(SessionView::owned).map(SessionView::id).toList();
    }

    /** Every stop at once (each waits out its own grace), outcomes in the order asked. */
    private List<Outcome> stopAll(TetherClient client, List<String> targets) {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Outcome>> stops = targets.stream()
                    .map(id -> CompletableFuture.supplyAsync(() -> stop(client, id), pool)).toList();
            return stops.stream().map(CompletableFuture::join).toList();
        }
    }

    private Outcome stop(TetherClient client, String id) {
        Instant asked = Instant.now();
        try {
            SessionView s = client.stop(id, force);
            return new Outcome(id, s, s.endedAt() != null && s.endedAt().isBefore(asked), null);
        } catch (TetherApiException e) {
            return new Outcome(id, null, false, e);
        }
    }

    private void print(PrintWriter out, List<Outcome> outcomes) {
        Table t = new Table("ID", "NAME", "RESULT", "SIGNALLED", "KILLED", "TOOK");
        for (Outcome o : outcomes) {
            if (o.error() == null) {
                Result r = o.json();
                t.row(r.id(), r.name(), (r.already_ended() ? "already " : "") + r.state(), r.signalled(), r.killed(),
                        r.elapsed_ms() == null ? null : Formats.duration(Duration.ofMillis(r.elapsed_ms())));
            }
        }
        if (!t.isEmpty()) {
            t.print(out);
        }
        Terminal term = Terminal.detect();
        outcomes.stream().map(Outcome::error).filter(e -> e != null)
                .forEach(e -> DaemonErrors.print(spec.commandLine().getErr(), term, e));
    }
}
