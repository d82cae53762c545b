package dev.tether.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * One SQLite connection, used by one thread at a time under a lock, with its prepared statements
 * cached. Writes run in {@code BEGIN IMMEDIATE} transactions: the write lock is taken up front,
 * so a busy database waits up to the busy timeout instead of failing on lock upgrade. Every
 * {@value #CHECKPOINT_EVERY_COMMITS} commits it asks its {@link WalCheckpointer} for a checkpoint
 * off the commit path; SQLite's own, inside a commit, waits for {@value #AUTOCHECKPOINT_PAGES}
 * pages of log (4 times its default) and then finds most of them copied already.
 */
final class Database implements AutoCloseable {
    /** Commits between background checkpoints: about as often as SQLite's default of 1,000 pages. */
    static final int CHECKPOINT_EVERY_COMMITS = 128;
    /** The log size (pages) at which a commit checkpoints itself: the bound if the background falls behind. */
    static final int AUTOCHECKPOINT_PAGES = 4000;

    /** Work done with the connection; may throw SQL errors, which become {@link RegistryException}s. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private final Path file;
    private final Duration busyTimeout;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final WalCheckpointer checkpointer;
    private boolean inTransaction; // guarded by lock
    private boolean closed; // guarded by lock
    private int commitsSinceCheckpoint; // guarded by lock

    private Database(Path file, Duration busyTimeout, Connection connection) {
        this.file = file;
        this.busyTimeout = busyTimeout;
        this.connection = connection;
        this.checkpointer = new WalCheckpointer(file);
    }

    /** Opens {@code file} in WAL mode with {@code synchronous=NORMAL} and foreign keys enforced. */
    static Database open(Path file, Duration busyTimeout) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(Math.toIntExact(busyTimeout.toMillis()));
        // Nothing here reads generated keys; left on, the driver runs and prepares a
        // SELECT last_insert_rowid() after every INSERT (measured: a quarter of an insert's time).
        config.setGetGeneratedKeys(false);
        Connection connection;
        try {
            connection = config.createConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw RegistryErrors.translate(file, busyTimeout, e);
        }
        Database db = new Database(file, busyTimeout, connection);
        try {
            db.read(() -> {
                String mode = db.scalar("PRAGMA journal_mode=WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw RegistryErrors.io(file, "SQLite would not switch it to WAL mode (journal_mode is "
                            + mode + ")");
                }
                // In WAL mode NORMAL loses no integrity on power loss, only the last commits; far fewer fsyncs.
                db.execute("PRAGMA synchronous=NORMAL");
                db.execute("PRAGMA foreign_keys=ON");
                db.execute("PRAGMA wal_autocheckpoint=" + AUTOCHECKPOINT_PAGES);
                return null;
            });
            return db;
        } catch (RuntimeException e) {
            db.closeAfter(e);
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} in one write transaction: all of it is recorded, or none. Reentrant. */
    <T> T write(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            if (inTransaction) {
                return work.run();
            }
            prepare("BEGIN IMMEDIATE").execute();
            inTransaction = true;
            try {
                T result = work.run();
                prepare("COMMIT").execute();
                if (++commitsSinceCheckpoint >= CHECKPOINT_EVERY_COMMITS) {
                    commitsSinceCheckpoint = 0;
                    checkpointer.request();
                }
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(e);
                throw e;
            } finally {
                inTransaction = false;
            }
        } catch (SQLException e) {
            throw RegistryErrors.translate(file, busyTimeout, e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} with the connection, outside an explicit transaction (one statement is atomic). */
    <T> T read(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            return work.run();
        } catch (SQLException e) {
            throw RegistryErrors.translate(file, busyTimeout, e);
        } finally {
            lock.unlock();
        }
    }

    /** The cached prepared statement for {@code sql}; call only inside {@link #read} or {@link #write}. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    /** Runs a statement that takes no parameters (DDL, pragmas that set). */
    void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** Runs a parameterless query or pragma; the first column of its first row, or null if none. */
    String scalar(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private void rollback(Throwable failure) {
        try {
            prepare("ROLLBACK").execute();
        } catch (SQLException e) {
            // SQLite already rolled back (e.g. after SQLITE_FULL); keep the original failure.
            failure.addSuppressed(e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("registry " + file + " is closed");
        }
    }

    /** Closes after {@code failure}, which stays the error reported; a failure to close is added to it. */
    void closeAfter(RuntimeException failure) {
        try {
            close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            checkpointer.close(); // first: the last connection to close checkpoints the whole log
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            statements.clear();
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA optimize");
            } catch (SQLException ignored) {
                // only a planner hint
            }
            connection.close();
        } catch (SQLException e) {
            throw RegistryErrors.translate(file, busyTimeout, e);
        } finally {
            lock.unlock();
        }
    }
}
