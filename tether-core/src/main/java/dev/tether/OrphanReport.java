package dev.tether;

import java.util.List;

/**
 * What an orphan cleanup found (and, unless it was a dry run, stopped): Tether-marked processes
 * that belong to no live session.
 *
 * @param processes      the orphaned processes (pid, command, session)
 * @param stopped        whether they were stopped (false for a dry run)
 * @param activeSessions live sessions of this supervisor, none of which was touched
 */
public record OrphanReport(List<ProcessInfo> processes, boolean stopped, int activeSessions) {
    public OrphanReport {
        processes = List.copyOf(processes);
    }

    public int count() {
        return processes.size();
    }
}
