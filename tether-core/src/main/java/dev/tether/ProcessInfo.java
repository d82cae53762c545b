package dev.tether;

import java.util.Optional;

/**
 * A snapshot of one live process: its identity, parent, and command line as the system reported
 * them at the moment of the look. The process may be gone by the time this is read.
 *
 * @param id        identity (boot, pid, start time)
 * @param parentPid parent pid at the time of the look (0 when unknown)
 * @param command   command line, arguments separated by spaces (the name in brackets when unreadable)
 * @param uid       owner's user id, -1 when unknown
 * @param session   the Tether session the process carries in its environment, if readable
 * @param instance  the Tether supervisor instance it carries in its environment, if readable
 */
public record ProcessInfo(ProcessId id, long parentPid, String command, int uid, Optional<String> session,
                          Optional<String> instance) {
    public long pid() {
        return id.pid();
    }
}
