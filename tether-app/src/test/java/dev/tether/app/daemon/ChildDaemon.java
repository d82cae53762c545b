package dev.tether.app.daemon;

import dev.tether.app.TetherCommand;
import dev.tether.client.TetherClient;
import dev.tether.testkit.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code tether serve} in a child JVM, so a test can SIGTERM or SIGKILL the daemon and look from
 * outside. Signals go to the pid of the child we started and hold, never by name.
 */
final class ChildDaemon implements AutoCloseable {
    private final ChildJvm jvm;
    private final URI url;
    private final TetherClient client;
    private final String instance;

    private ChildDaemon(ChildJvm jvm, URI url, TetherClient client) {
        this.jvm = jvm;
        this.url = url;
        this.client = client;
        this.instance = client.health().instance();
    }

    static ChildDaemon start(Path home, String... extraArgs) throws IOException, InterruptedException {
        List<String> args = new java.util.ArrayList<>(List.of("serve", "--port", "0"));
        args.addAll(List.of(extraArgs));
        ChildJvm jvm = ChildJvm.start(TetherCommand.class, Map.of("TETHER_HOME", home.toString()), args);
        String line = jvm.awaitLine("tether daemon listening on ", Duration.ofSeconds(60));
        URI url = URI.create(line.split(" ")[4]);
        String token = Files.readString(home.resolve("token")).strip();
        return new ChildDaemon(jvm, url, TetherClient.of(url, token));
    }

    TetherClient client() {
        return client;
    }

    URI url() {
        return url;
    }

    String instance() {
        return instance;
    }

    long pid() {
        return jvm.pid();
    }

    void signal(String signal) throws IOException, InterruptedException {
        jvm.signal(signal);
    }

    int waitFor(Duration timeout) throws InterruptedException {
        return jvm.waitFor(timeout);
    }

    @Override
    public void close() {
        jvm.close();
    }
}
