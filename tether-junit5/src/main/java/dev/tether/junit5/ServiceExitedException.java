package dev.tether.junit5;

import dev.tether.Exit;
import dev.tether.TetherException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A service ended by itself while tests were using it (it crashed or exited); Tether stopped what
 * it left. Fails the next test before it runs, and is attached (suppressed) to a failing test's
 * error, with the service's exit and the last lines of its log.
 */
public class ServiceExitedException extends TetherException {
    private final String service;
    private final Exit exit;

    public ServiceExitedException(String service, String when, Exit exit, Optional<Path> log, List<String> logTail) {
        super("service '" + service + "' ended " + when + ": " + exit
                + log.map(p -> "; log: " + p).orElse("")
                + (logTail.isEmpty() ? "" : "; last log lines:\n  " + String.join("\n  ", logTail)));
        this.service = service;
        this.exit = exit;
    }

    public String service() {
        return service;
    }

    /** How its main process ended. */
    public Exit exit() {
        return exit;
    }
}
