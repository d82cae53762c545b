package dev.tether.app;

import dev.tether.client.DaemonAddress;
import dev.tether.client.DaemonNotRunningException;
import dev.tether.client.TetherClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The daemon ({@code tether serve}) that owns a home, found through the home's PID file and token
 * and asked whether it answers ({@code GET /healthz}). Reads files and talks HTTP only: it takes no
 * lock, so it cannot get in the way of a daemon starting.
 */
final class HomeDaemon {
    private HomeDaemon() {}

    /** A client for the home's daemon, if one is recorded there and answers. */
    static Optional<TetherClient> find(Path home) {
        try {
            TetherClient client = TetherClient.forHome(home);
            return client.alive() ? Optional.of(client) : Optional.empty();
        } catch (DaemonNotRunningException e) {
            return Optional.empty();
        }
    }

    /**
     * A client for the home's daemon.
     *
     * @throws DaemonNotRunningException saying what was found instead (no PID file, or a daemon that does not answer)
     */
    static TetherClient require(Path home) {
        if (!Files.exists(home.resolve(DaemonAddress.PID_FILE))) {
            throw new DaemonNotRunningException("no Tether daemon runs for " + home, null);
        }
        TetherClient client = TetherClient.forHome(home);
        if (!client.alive()) {
            throw new DaemonNotRunningException("the Tether daemon recorded in " + home.resolve(DaemonAddress.PID_FILE)
                    + " does not answer at " + client.base() + " (it was stopped or killed)", null);
        }
        return client;
    }
}
