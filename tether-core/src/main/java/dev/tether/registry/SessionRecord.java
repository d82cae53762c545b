package dev.tether.registry;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.StopReport;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A session as the registry knows it: the intent it was started from and how far it got.
 * {@code endedAt} is present exactly when {@code state} is terminal.
 *
 * @param intent       what was started, and the resources it owns
 * @param state        where it is in its life
 * @param main         the main process, once spawned
 * @param exit         how the main process ended, once known
 * @param lastStop     what the last stop found, if one ran
 * @param startedAt    when the main process was spawned
 * @param endedAt      when it reached a terminal state
 * @param lastActivity the last time it was seen in use (for idle culling)
 */
public record SessionRecord(SessionIntent intent, SessionState state, Optional<ProcessId> main,
                            Optional<Exit> exit, Optional<StopFindings> lastStop, Optional<Instant> startedAt,
                            Optional<Instant> endedAt, Instant lastActivity) {
    public SessionRecord {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(main, "main");
        Objects.requireNonNull(exit, "exit");
        Objects.requireNonNull(lastStop, "lastStop");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(lastActivity, "lastActivity");
        if (state.isTerminal() != endedAt.isPresent()) {
            throw new IllegalArgumentException("session " + intent.id() + " is " + state + " but its end time is "
                    + (endedAt.isPresent() ? "set" : "missing") + ": endedAt is present exactly in terminal states");
        }
    }

    public String id() {
        return intent.id();
    }

    public String instanceId() {
        return intent.instanceId();
    }

    public String name() {
        return intent.name();
    }

    /** Whether something of the session may still live (its state is not terminal). */
    public boolean isLive() {
        return !state.isTerminal();
    }

    /** The last stop's full report; its exit is {@link Exit.Unknown} if none was recorded. */
    public Optional<StopReport> stopReport() {
        return lastStop.map(f -> f.toReport(exit.orElseGet(() -> new Exit.Unknown("not recorded"))));
    }
}
