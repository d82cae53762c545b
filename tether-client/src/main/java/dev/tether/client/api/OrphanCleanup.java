package dev.tether.client.api;

import java.util.List;

/**
 * {@code POST /cleanup/orphans}: Tether-marked processes that belong to no live session.
 *
 * @param killedCount    how many were stopped (in a dry run: would be)
 * @param activeSessions live sessions of this daemon, none of which was touched
 * @param killed         each of them
 * @param dryRun         whether this only looked
 */
public record OrphanCleanup(int killedCount, int activeSessions, List<KilledProcess> killed, boolean dryRun) {}
