package dev.tether.registry;

import dev.tether.ProcessId;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.sqlite.SQLiteConfig;

/**
 * A child JVM for the registry ITs. {@code lock FILE}: takes the database's write lock, prints
 * {@code locked}, and holds it until stdin closes. {@code record FILE}: records an instance and
 * a session intent with a port lease, prints {@code recorded}, and waits to be killed.
 */
public final class RegistryChildMain {
    private RegistryChildMain() {}

    public static void main(String[] args) throws SQLException, IOException {
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "lock" -> holdLock(file);
            case "record" -> recordThenWait(file);
            default -> throw new IllegalArgumentException("usage: lock|record FILE");
        }
    }

    private static void holdLock(Path file) throws SQLException, IOException {
        try (Connection c = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
            s.execute("UPDATE instances SET host = host");
            announce("locked");
            s.execute("ROLLBACK");
        }
    }

    private static void recordThenWait(Path file) throws IOException {
        Registry registry = Registry.open(file); // deliberately never closed: the test SIGKILLs us
        registry.recordInstance(InstanceRecord.started("crashed", ProcessId.current(), "host-a", "alice",
                Instant.now()));
        registry.insertSessionIntent(Fixtures.intentWithPort("s1", "crashed", 8123));
        announce("recorded");
    }

    /** Prints {@code word}, then blocks until stdin closes (or the process is killed). */
    private static void announce(String word) throws IOException {
        System.out.println(word);
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait
        }
    }
}
