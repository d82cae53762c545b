package dev.tether.app;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * What the command line knows about where it writes: whether a person is at a terminal (then it
 * may ask, and use colour unless {@code NO_COLOR} is set or {@code TERM=dumb}), or a script reads it.
 */
final class Terminal {
    private static final String RESET = "\u001b[0m";

    private final boolean interactive;
    private final boolean colour;

    private Terminal(boolean interactive, boolean colour) {
        this.interactive = interactive;
        this.colour = colour;
    }

    static Terminal detect() {
        return detect(System.getenv(), System.console());
    }

    static Terminal detect(Map<String, String> env, Console console) {
        boolean tty = console != null && console.isTerminal();
        boolean noColour = env.containsKey("NO_COLOR") || "dumb".equals(env.get("TERM"));
        return new Terminal(tty, tty && !noColour);
    }

    /** A person is at a terminal (stdin and stdout are a tty). */
    boolean interactive() {
        return interactive;
    }

    String bold(String s) {
        return colour ? "\u001b[1m" + s + RESET : s;
    }

    String green(String s) {
        return colour ? "\u001b[32m" + s + RESET : s;
    }

    String yellow(String s) {
        return colour ? "\u001b[33m" + s + RESET : s;
    }

    String red(String s) {
        return colour ? "\u001b[31m" + s + RESET : s;
    }

    /** Asks a yes/no question on the terminal; anything but y/yes is no. */
    boolean confirm(PrintWriter out, String question) {
        out.print(question + " [y/N] ");
        out.flush();
        Console c = System.console();
        String answer = c == null ? null : c.readLine();
        return answer != null && switch (answer.strip().toLowerCase(Locale.ROOT)) {
            case "y", "yes" -> true;
            default -> false;
        };
    }
}
