package dev.tether;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A POSIX signal by number and name (Linux numbering). Only the signals a supervisor sends or
 * reports have constants; {@link #of(int)} names any other number.
 */
public record Signal(int number, String name) {

    public static final Signal HUP = new Signal(1, "SIGHUP");
    public static final Signal INT = new Signal(2, "SIGINT");
    public static final Signal QUIT = new Signal(3, "SIGQUIT");
    public static final Signal ABRT = new Signal(6, "SIGABRT");
    public static final Signal KILL = new Signal(9, "SIGKILL");
    public static final Signal USR1 = new Signal(10, "SIGUSR1");
    public static final Signal SEGV = new Signal(11, "SIGSEGV");
    public static final Signal USR2 = new Signal(12, "SIGUSR2");
    public static final Signal PIPE = new Signal(13, "SIGPIPE");
    public static final Signal ALRM = new Signal(14, "SIGALRM");
    public static final Signal TERM = new Signal(15, "SIGTERM");
    public static final Signal CHLD = new Signal(17, "SIGCHLD");
    public static final Signal CONT = new Signal(18, "SIGCONT");
    public static final Signal STOP = new Signal(19, "SIGSTOP");
    public static final Signal TSTP = new Signal(20, "SIGTSTP");
    public static final Signal WINCH = new Signal(28, "SIGWINCH");

    private static final Map<Integer, Signal> BY_NUMBER = Map.ofEntries(
            entry(HUP), entry(INT), entry(QUIT), entry(ABRT), entry(KILL), entry(USR1), entry(SEGV),
            entry(USR2), entry(PIPE), entry(ALRM), entry(TERM), entry(CHLD), entry(CONT), entry(STOP),
            entry(TSTP), entry(WINCH),
            entry(new Signal(4, "SIGILL")), entry(new Signal(5, "SIGTRAP")), entry(new Signal(7, "SIGBUS")),
            entry(new Signal(8, "SIGFPE")), entry(new Signal(16, "SIGSTKFLT")), entry(new Signal(21, "SIGTTIN")),
            entry(new Signal(22, "SIGTTOU")), entry(new Signal(23, "SIGURG")), entry(new Signal(24, "SIGXCPU")),
            entry(new Signal(25, "SIGXFSZ")), entry(new Signal(26, "SIGVTALRM")), entry(new Signal(27, "SIGPROF")),
            entry(new Signal(29, "SIGIO")), entry(new Signal(30, "SIGPWR")), entry(new Signal(31, "SIGSYS")));

    public Signal {
        if (number < 1 || number > 64) {
            throw new IllegalArgumentException("signal number must be 1..64, got " + number);
        }
    }

    /** The signal with this number; real-time and unknown numbers get a name like {@code SIG40}. */
    public static Signal of(int number) {
        Signal known = BY_NUMBER.get(number);
        return known != null ? known : new Signal(number, "SIG" + number);
    }

    /**
     * Parses {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Signal parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            return of(Integer.parseInt(t));
        }
        String name = t.startsWith("SIG") ? t : "SIG" + t;
        Optional<Signal> found = BY_NUMBER.values().stream().filter(s -> s.name.equals(name)).findFirst();
        return found.orElseThrow(() -> new IllegalArgumentException(
                "unknown signal '" + text + "': use a name like TERM, INT, HUP, KILL or a number 1..64"));
    }

    @Override
    public String toString() {
        return name;
    }

    private static Map.Entry<Integer, Signal> entry(Signal s) {
        return Map.entry(s.number, s);
    }
}
