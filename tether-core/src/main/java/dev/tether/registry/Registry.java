package dev.tether.registry;

import dev.tether.Exit;
import dev.tether.ProcessId;
import dev.tether.SessionState;
import dev.tether.StopReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable record of supervisor instances, their sessions and the ports they lease: an
 * embedded SQLite database (WAL mode, mode 0600) at {@code $TETHER_HOME/registry.db}.
 *
 * <p>Guarantee: every write is one transaction, committed before the method returns, so a
 * supervisor killed at any instant leaves rows that say what it intended and how far it got —
 * which is what reconciliation reads. Record a session's intent before starting anything; if that
 * throws, start nothing. Limit: with {@code synchronous=NORMAL} a power loss (not a process
 * crash) may drop the last commits. Thread-safe: one connection behind one lock, reads included;
 * a full read of 1,000 live sessions costs milliseconds, so hot read paths should serve from memory.
 * A second connection, on a thread of its own, copies the write-ahead log into the file every 128
 * commits ({@code WalCheckpointer}), so a commit seldom waits for those syncs (SQLite's own
 * checkpoint inside a commit comes only at 4,000 pages of log); {@link #close} stops it.
 */
public final class Registry implements AutoCloseable {
    /** How long to wait for another connection's write lock before failing with {@code LOCKED}. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    private final Database db;
    private final InstanceTable instances;
    private final SessionTable sessions;
    private final PortLeaseTable leases;

    private Registry(Database db) {
        this.db = db;
        this.instances = new InstanceTable(db);
        this.leases = new PortLeaseTable(db);
        this.sessions = new SessionTable(db, leases);
    }

    /** Opens the registry of this environment's {@link TetherHome}. */
    public static Registry openDefault() {
        return open(TetherHome.registryFile(TetherHome.current()));
    }

    /** Opens (creating if missing) the registry at {@code file}, waiting up to 5 s for a lock. */
    public static Registry open(Path file) {
        return open(file, DEFAULT_BUSY_TIMEOUT);
    }

    /**
     * Opens (creating if missing) the registry at {@code file}: creates missing directories
     * (0700) and the file (0600), switches to WAL, checks the file's integrity, and migrates its
     * schema to the latest version.
     *
     * @param busyTimeout how long any operation waits for another connection's write lock
     * @throws RegistryException if the file is locked, read-only, corrupt, from a newer Tether,
     *                           or cannot be created; its message says how to fix it
     */
    public static Registry open(Path file, Duration busyTimeout) {
        Path absolute = file.toAbsolutePath().normalize();
        RegistryFiles.prepare(absolute);
        Database db = Database.open(absolute, busyTimeout);
        try {
            checkIntegrity(db);
            Schema.migrate(db);
            RegistryFiles.restrict(absolute); // the -wal and -shm files exist now
            return new Registry(db);
        } catch (RuntimeException e) {
            db.closeAfter(e);
            throw e;
        }
    }

    /** {@code quick_check}: O(file size), catches damaged pages and indexes without a full integrity_check. */
    private static void checkIntegrity(Database db) {
        db.read(() -> {
            String result = db.scalar("PRAGMA quick_check(1)");
            if (!"ok".equals(result)) {
                throw RegistryErrors.corrupt(db.file(), "quick_check found: " + result, null);
            }
            return null;
        });
    }

    /** The database file. */
    public Path file() {
        return db.file();
    }

    // --- supervisor instances

    /** Records a supervisor run; call before it records any session. */
    public void recordInstance(InstanceRecord instance) {
        instances.insert(instance);
    }

    /** Records that an instance ended cleanly; {@code false} if it is unknown or already ended. */
    public boolean markInstanceEnded(String instanceId, Instant endedAt) {
        return instances.markEnded(instanceId, endedAt);
    }

    public Optional<InstanceRecord> instance(String instanceId) {
        return instances.find(instanceId);
    }

    /** Instances matching {@code filter}, oldest first. */
    public List<InstanceRecord> instances(InstanceFilter filter) {
        return instances.list(filter);
    }

    // --- sessions

    /**
     * Records that a session is about to start (state {@link SessionState#STARTING}), leasing its
     * port if it names one, in one transaction. Start nothing unless this returns.
     *
     * @throws PortLeasedException      if its port is leased to another session; nothing is recorded
     * @throws IllegalArgumentException if the id is taken or the instance is not recorded
     */
    public void insertSessionIntent(SessionIntent intent) {
        sessions.insertIntent(intent);
    }

    /**
     * Records a session whose main process already runs (state {@link SessionState#RUNNING}), in
     * one transaction: the one write of a start that has nothing to reserve beforehand. Only for a
     * session that leases no port and owns no directory, and whose processes carry its marker: a
     * supervisor that dies before this returns leaves them for its guardian and for
     * reconciliation's sweep of its instance's marked processes and cgroup, not unfindable.
     *
     * @throws IllegalArgumentException if the intent names a port (a lease must precede the
     *                                  spawn), the id is taken, or the instance is not recorded
     */
    public void insertRunningSession(SessionIntent intent, ProcessId main, Instant startedAt) {
        sessions.insertRunning(intent, main, startedAt);
    }

    /** Removes a session whose spawn failed, and its leases; {@code false} unless it was still STARTING. */
    public boolean deleteSessionIntent(String sessionId) {
        return sessions.deleteIntent(sessionId);
    }

    /**
     * Records that the main process was spawned. {@code false} if the session is no longer
     * STARTING (e.g. reconciliation closed it): then the caller must stop what it started.
     */
    public boolean markSessionRunning(String sessionId, ProcessId main, Instant startedAt) {
        return sessions.markRunning(sessionId, main, startedAt);
    }

    /** Records that a stop began, before its first signal; {@code false} if it has ended or was stopping. */
    public boolean markSessionStopping(String sessionId) {
        return sessions.markStopping(sessionId);
    }

    /**
     * Records that nothing of the session lives, and releases its port leases, in one transaction.
     * The first end recorded wins: {@code false} if the session is unknown or had already ended.
     *
     * @param state a terminal state
     */
    public boolean markSessionEnded(String sessionId, SessionState state, Optional<Exit> exit,
                                    Optional<StopFindings> lastStop, Instant endedAt) {
        return sessions.markEnded(sessionId, state, exit, lastStop, endedAt);
    }

    /** {@link #markSessionEnded(String, SessionState, Optional, Optional, Instant)} from a stop's report. */
    public boolean markSessionEnded(String sessionId, SessionState state, StopReport report, Instant endedAt) {
        return sessions.markEnded(sessionId, state, Optional.of(report.exit()),
                Optional.of(StopFindings.of(report)), endedAt);
    }

    /** Moves the session's last activity forward to {@code at}; {@code false} if it is unknown or ended. */
    public boolean touchActivity(String sessionId, Instant at) {
        return sessions.touch(sessionId, at);
    }

    public Optional<SessionRecord> session(String sessionId) {
        return sessions.find(sessionId);
    }

    /** Sessions matching {@code filter}, oldest first. */
    public List<SessionRecord> sessions(SessionFilter filter) {
        return sessions.list(filter);
    }

    /** Sessions of which something may still live (STARTING, RUNNING, STOPPING), oldest first. */
    public List<SessionRecord> liveSessions() {
        return sessions.list(SessionFilter.live());
    }

    /**
     * Forgets what is over: ended sessions that ended before {@code endedBefore}, and all but the
     * newest {@code keepNewest} of the other ended ones; then supervisor instances that ended
     * before {@code endedBefore} and that no row names any more. Live sessions and live instances
     * are never touched. Deletes in batches
     * of 500 rows, each its own transaction, so writers wait at most one batch.
     *
     * @throws IllegalArgumentException if {@code keepNewest} is negative
     */
    public PrunedRows pruneEnded(Instant endedBefore, int keepNewest) {
        if (keepNewest < 0) {
            throw new IllegalArgumentException("keepNewest must be 0 or more, not " + keepNewest);
        }
        long before = endedBefore.isBefore(EpochNanos.toInstant(Long.MIN_VALUE)) ? Long.MIN_VALUE
                : endedBefore.isAfter(EpochNanos.toInstant(Long.MAX_VALUE)) ? Long.MAX_VALUE : EpochNanos.of(endedBefore);
        int sessionsPruned = sessions.pruneEnded(before, keepNewest);
        return new PrunedRows(sessionsPruned, instances.pruneEnded(before));
    }

    // --- port leases

    /**
     * Leases {@code port} to a live session, atomically.
     *
     * @throws PortLeasedException      if another lease holds it
     * @throws IllegalArgumentException if the session is unknown or has ended
     */
    public PortLease leasePort(int port, String sessionId, Instant leasedAt) {
        return leases.lease(port, sessionId, leasedAt);
    }

    /** {@code false} if the port was not leased. */
    public boolean releasePort(int port) {
        return leases.release(port);
    }

    /** Releases every port of a session; returns how many. */
    public int releasePortsOf(String sessionId) {
        return leases.releaseAllOf(sessionId);
    }

    public Optional<PortLease> portLease(int port) {
        return leases.find(port);
    }

    /** Every lease, by port. */
    public List<PortLease> leasedPorts() {
        return leases.all();
    }

    /** Closes the connection; SQLite folds the WAL back into the file if this was the last one. */
    @Override
    public void close() {
        db.close();
    }
}
