package dev.tether.junit5;

import dev.tether.PortOwner;
import dev.tether.TetherException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * After their stop, a test's services left something behind: a process still carrying one of their
 * session markers, a port that cannot be bound again, or a stop that failed. The message names each
 * (pid and command, port and holder), so the run fails with what to look at. Survivors are
 * reported, not hunted down: a sweep of marked processes could hit another build's services.
 */
public class ServicesLeftBehindException extends TetherException {
    private final List<Survivor> survivors;
    private final List<HeldPort> heldPorts;

    /** A live process carrying a service's session marker after the service was stopped. */
    public record Survivor(String service, String sessionId, long pid, String command) {}

    /** A service's port that still cannot be bound, and who listens on it (empty when unknown). */
    public record HeldPort(String service, int port, List<PortOwner> owners) {
        public HeldPort {
            owners = List.copyOf(owners);
        }
    }

    public ServicesLeftBehindException(String owner, List<Survivor> survivors, List<HeldPort> heldPorts,
                                       List<String> stopFailures) {
        super(message(owner, survivors, heldPorts, stopFailures));
        this.survivors = List.copyOf(survivors);
        this.heldPorts = List.copyOf(heldPorts);
    }

    /** The processes found alive with a service's marker. */
    public List<Survivor> survivors() {
        return survivors;
    }

    /** The ports found still held. */
    public List<HeldPort> heldPorts() {
        return heldPorts;
    }

    private static String message(String owner, List<Survivor> survivors, List<HeldPort> heldPorts,
                                  List<String> stopFailures) {
        List<String> lines = new ArrayList<>();
        for (String f : stopFailures) {
            lines.add("stop failed: " + f);
        }
        for (Survivor s : survivors) {
            lines.add("survivor of service '" + s.service() + "' (session " + s.sessionId() + "): pid " + s.pid()
                    + " " + cut(s.command()));
        }
        for (HeldPort p : heldPorts) {
            lines.add("port " + p.port() + " of service '" + p.service() + "' cannot be bound again"
                    + (p.owners().isEmpty() ? " (no listener visible to this user)" : ": held by "
                    + p.owners().stream().map(o -> "pid " + o.pid() + " " + cut(o.command()) + " on " + o.address())
                    .collect(Collectors.joining(", "))));
        }
        return "the services of " + owner + " left something behind after their stop:\n  " + String.join("\n  ", lines)
                + (survivors.isEmpty() ? "" : "\nThey are out of the stop's reach (started outside the service's tree, or"
                + " missed by the containment level); stop them by pid.");
    }

    /** A command line for a message: at most 200 characters. */
    private static String cut(String command) {
        return command.length() <= 200 ? command : command.substring(0, 197) + "...";
    }
}
