package dev.tether.client.api;

import java.time.Instant;
import java.util.List;

/**
 * A session as {@code GET /sessions/{id}} reports it. {@code GET /sessions} gives the list form:
 * without {@code process}, {@code cwd}, {@code containment}, {@code processes}, {@code log_file}
 * and {@code runs}, which only a look at one session needs.
 *
 * @param id           the session id (stable across restarts: the id of its first run)
 * @param name         its label
 * @param state        where it is in its life
 * @param tags         its labels
 * @param argv         the command
 * @param cwd          its working directory
 * @param pid          the current main process's pid, while one runs
 * @param process      the current main process's full identity
 * @param port         its leased port
 * @param directory    its session directory
 * @param containment  how its members are found ({@code cgroup /sys/fs/cgroup/...} or marker and process group)
 * @param instance     the supervisor instance that owns it
 * @param owned        whether this daemon runs it (else it is history, or another supervisor's)
 * @param startedAt    when its current run was spawned
 * @param endedAt      when it reached a terminal state
 * @param lastActivity the last activity reported for it
 * @param uptimeMs     how long it has run (until its end, once ended)
 * @param idleMs       time since its last activity
 * @param idleTimeoutMs its idle timeout, when it has one
 * @param graceMs      its stop grace period
 * @param exit         how its main process last ended
 * @param lastStop     what the last stop of its tree found and did
 * @param restart      its restart policy and count
 * @param usage        CPU and memory of its processes now
 * @param processes    its live process tree (detail view only)
 * @param logFile      where its output (stdout and stderr) is kept
 * @param runs         the registry ids of its runs, first first
 */
public record SessionView(String id, String name, SessionState state, List<String> tags, List<String> argv, String cwd,
                          Long pid, ProcessIdentity process, Integer port, String directory, String containment,
                          String instance, boolean owned, Instant startedAt, Instant endedAt, Instant lastActivity,
                          Long uptimeMs, Long idleMs, Long idleTimeoutMs, Long graceMs, ExitView exit, StopView lastStop,
                          RestartView restart, UsageView usage, List<ProcessNode> processes, String logFile,
                          List<String> runs) {
}
