package dev.tether.app;

import dev.tether.client.TetherApiException;
import java.io.PrintWriter;
import java.util.List;

/**
 * How the command line reports what the daemon refused: its message on one line, the failed
 * session's last output when the daemon sent it, a hint where one helps, and an exit code from the
 * HTTP status (a request the daemon cannot read is a usage error; a session another supervisor
 * owns is refused; anything else is a failure).
 */
final class DaemonErrors {
    private DaemonErrors() {}

    static int exitCode(TetherApiException e) {
        if (e.status() == 400) {
            return ExitCodes.USAGE;
        }
        if (e.status() == 409 && "not_owned".equals(e.code())) {
            return ExitCodes.REFUSED;
        }
        return ExitCodes.FAILURE;
    }

    static void print(PrintWriter err, Terminal term, TetherApiException e) {
        err.println(term.red("tether: " + e.reason()));
        List<String> tail = e.logTail();
        if (!tail.isEmpty()) {
            err.println("its last output:");
            tail.forEach(line -> err.println("  | " + line));
        }
        String hint = switch (e.code()) {
            case "not_found" -> "tether ps --all lists every session of this home";
            case "port_in_use" -> "tether port shows who holds a port; --port any takes a free one";
            case "not_owned" -> "stop it through the supervisor that started it, or tether cleanup if that one died";
            default -> "";
        };
        if (!hint.isEmpty()) {
            err.println("hint: " + hint);
        }
        err.flush();
    }
}
