package dev.tether;

/**
 * How a supervisor finds every process of a session, strongest first. The level in force is
 * logged once when the first supervisor opens, with what it cannot catch.
 */
public enum Containment {
    /**
     * A cgroup v2 per session, entered before the main process can fork. Catches every
     * descendant, including double-forked {@code setsid} daemons and processes that clear their
     * environment; killed at once by {@code cgroup.kill}.
     */
    CGROUP("a cgroup v2 per session: every descendant is caught, escapees and env -i included"),
    /**
     * The session's process group and session id, plus the {@code TETHER_SESSION} marker every
     * descendant inherits through its environment. Misses a process that both leaves the session
     * and starts with a cleared environment ({@code setsid env -i ...}).
     */
    PROCESS_GROUP_AND_MARKER("process group + TETHER_SESSION marker: misses a process that both calls setsid and clears its environment"),
    /**
     * {@link ProcessHandle} descendants (and, where {@code /proc} exists, the marker). Misses
     * double-forked daemons re-parented away where no marker is readable, and there is no
     * subreaper: zombies of orphans are left to init.
     */
    PORTABLE("ProcessHandle descendants (+ marker where /proc exists): misses re-parented daemons without a readable marker; no zombie reaping");

    private final String summary;

    Containment(String summary) {
        this.summary = summary;
    }

    /** One line: what this level catches and what it misses. */
    public String summary() {
        return summary;
    }
}
