package dev.tether.junit5;

import dev.tether.NotReadyException;
import dev.tether.TetherException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A service could not be started or did not become ready. By the time this is thrown, every
 * service started before it, and the failed one itself, has been stopped. The message says why
 * (the spawn error, or the probe's verdict with the last lines of the service's log).
 */
public class ServiceStartException extends TetherException {
    private final String service;
    private final Optional<Path> log;
    private final List<String> logTail;

    public ServiceStartException(String service, int position, int count, List<String> stopped, Optional<Path> log,
                                 RuntimeException cause) {
        super("service '" + service + "' (" + position + " of " + count + ") did not start: " + cause.getMessage()
                + log.map(p -> "\nlog: " + p).orElse("")
                + "\n" + (stopped.isEmpty() ? "nothing else was running" : "stopped: " + String.join(", ", stopped)), cause);
        this.service = service;
        this.log = log;
        this.logTail = cause instanceof NotReadyException n ? n.logTail() : List.of();
    }

    /** The service that failed. */
    public String service() {
        return service;
    }

    /** Its log file, when its output went to one. */
    public Optional<Path> log() {
        return log;
    }

    /** The last lines of its log when it was found not ready (empty for a spawn failure). */
    public List<String> logTail() {
        return logTail;
    }
}
