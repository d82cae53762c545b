package dev.tether.app;

/**
 * The {@code tether} command's exit codes. {@code tether run} instead exits with its command's
 * status (128 + signal when the command was killed by one), like a shell.
 */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int NOTHING_TO_DO = 3;
    public static final int REFUSED = 4;
    public static final int DAEMON_NOT_RUNNING = 5;
    /** {@code tether serve}: a live daemon already owns the home. */
    public static final int ALREADY_RUNNING = 6;
    /** {@code tether run}: Tether itself failed before the command could run (as {@code docker run}). */
    public static final int RUN_INTERNAL_ERROR = 125;
    /** {@code tether run}: the command exists but cannot be executed (shell convention). */
    public static final int RUN_CANNOT_EXECUTE = 126;
    /** {@code tether run}: the command was not found (shell convention). */
    public static final int RUN_NOT_FOUND = 127;

    /** The text {@code tether --help} shows. */
    static final String HELP = """
            Exit codes:
              0    ok
              1    failure
              2    usage error (unknown option, bad value)
              3    nothing to do (e.g. tether stop --all with no live session)
              4    refused (e.g. would touch a process that is not Tether's)
              5    daemon not running (start one with tether serve)
              6    a daemon already runs for this home (tether serve)
              run: the command's own status; 128+N if it was killed by signal N;
                   125 Tether failed, 126 command not executable, 127 command not found""";
}
