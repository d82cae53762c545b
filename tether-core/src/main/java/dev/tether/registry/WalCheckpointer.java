package dev.tether.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Copies the registry's write-ahead log back into the database file on a thread and a connection
 * of its own ({@code PRAGMA wal_checkpoint(PASSIVE)}), when {@link Database} asks after a number
 * of commits. A checkpoint syncs the log and then the database file; run inside a commit, as
 * SQLite's automatic checkpoint does, those syncs stall the session start or end that happened to
 * cross the threshold for milliseconds.
 *
 * <p>Guarantee: no commit waits for a checkpoint this class runs (a passive checkpoint takes no
 * writer lock, and a busy one is skipped). Limit: under writes that never pause, the log keeps
 * frames written during each checkpoint, so it cannot restart from its beginning; the writing
 * connection's automatic checkpoint stays on at a higher threshold ({@link Database}) and bounds
 * it, then doing little, since most frames were already copied and synced here.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);
    /** A checkpoint of a 4,000-page log takes milliseconds; this only bounds a stuck disk. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Path file;
    private final Semaphore requests = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;

    /** A checkpointer for {@code file}; its thread starts with the first {@link #request}. */
    WalCheckpointer(Path file) {
        this.file = file;
        this.thread = Thread.ofPlatform().daemon().name("tether-registry-checkpoint").unstarted(this::run);
    }

    /** Asks for a checkpoint soon; never blocks. Requests made while one runs fold into one more. */
    synchronized void request() {
        if (closed) {
            return;
        }
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        }
        requests.release();
    }

    private void run() {
        Connection connection = null;
        try {
            while (true) {
                requests.acquire();
                requests.drainPermits();
                if (closed) {
                    return;
                }
                if (connection == null) {
                    connection = new SQLiteConfig().createConnection("jdbc:sqlite:" + file);
                }
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(PASSIVE)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            // The writer's own automatic checkpoint still bounds the log; say why this one stopped.
            log.warn("background checkpoints of {} stop; SQLite's automatic ones go on: {}", file, e.getMessage());
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    /** Stops the thread, waiting up to {@link #CLOSE_WAIT} for a checkpoint under way to finish. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            requests.release();
        }
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        try {
            thread.join(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
