package dev.tether.client;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where a home's daemon listens and the token it wants, read from the home: the daemon's PID
 * file ({@code tether.pid}, its {@code attr.url}) and {@code token}. Finding them says only that a
 * daemon started there; whether it still runs is known when it answers.
 */
public record DaemonAddress(URI url, String token) {
    /** The PID file the daemon holds in its home. */
    public static final String PID_FILE = "tether.pid";
    /** The file holding the API token (mode 0600). */
    public static final String TOKEN_FILE = "token";

    /**
     * @throws DaemonNotRunningException when the home has no PID file or token, or they say nothing usable
     */
    public static DaemonAddress ofHome(Path home) {
        Path pidFile = home.resolve(PID_FILE);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(pidFile, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new DaemonNotRunningException("no tether daemon runs for " + home + " (no " + pidFile
                    + "); start one with `tether serve`", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new DaemonNotRunningException("cannot read " + pidFile + ": " + e.getMessage(), e);
        }
        String url = p.getProperty("attr.url");
        if (url == null || url.isBlank()) {
            throw new DaemonNotRunningException(pidFile + " names no daemon address (is it a `tether run`'s?); start a daemon with `tether serve`", null);
        }
        try {
            String token = Files.readString(home.resolve(TOKEN_FILE), StandardCharsets.US_ASCII).strip();
            return new DaemonAddress(URI.create(url), token);
        } catch (IOException e) {
            throw new DaemonNotRunningException("cannot read the daemon's token " + home.resolve(TOKEN_FILE) + ": "
                    + e.getMessage() + " (it is readable only by the user the daemon runs as)", e);
        }
    }
}
