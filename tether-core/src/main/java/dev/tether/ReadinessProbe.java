package dev.tether;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How to tell that a started session is ready to serve: a TCP connect to its port, an HTTP GET
 * answered with 2xx, or a line of its log matching a pattern — each within a timeout. Used with
 * {@link Session#awaitReady(ReadinessProbe)}.
 */
public sealed interface ReadinessProbe {
    /** How long to wait for readiness. */
    Duration timeout();

    /** A TCP connect to {@code 127.0.0.1:port} succeeds (the session's own port when {@code port} is empty). */
    record TcpConnect(OptionalInt port, Duration timeout) implements ReadinessProbe {
        public TcpConnect {
            checkTimeout(timeout);
            port.ifPresent(ReadinessProbe::checkPort);
        }
    }

    /** {@code GET http://127.0.0.1:port/path} answers 2xx (the session's own port when {@code port} is empty). */
    record HttpGet(String path, OptionalInt port, Duration timeout) implements ReadinessProbe {
        public HttpGet {
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ')) {
                throw new InvalidSpecException("ready", "an HTTP probe needs a path starting with '/' and without spaces, got '" + path + "'");
            }
            checkTimeout(timeout);
            port.ifPresent(ReadinessProbe::checkPort);
        }
    }

    /** A line of the session's stdout or stderr file matches {@code pattern} (the streams must go to files). */
    record LogLine(Pattern pattern, Duration timeout) implements ReadinessProbe {
        public LogLine {
            Objects.requireNonNull(pattern, "pattern");
            checkTimeout(timeout);
        }
    }

    static ReadinessProbe tcp(Duration timeout) {
        return new TcpConnect(OptionalInt.empty(), timeout);
    }

    static ReadinessProbe tcp(int port, Duration timeout) {
        return new TcpConnect(OptionalInt.of(port), timeout);
    }

    static ReadinessProbe http(String path, Duration timeout) {
        return new HttpGet(path, OptionalInt.empty(), timeout);
    }

    static ReadinessProbe http(int port, String path, Duration timeout) {
        return new HttpGet(path, OptionalInt.of(port), timeout);
    }

    /**
     * @throws InvalidSpecException if {@code regex} is not a valid pattern
     */
    static ReadinessProbe logLine(String regex, Duration timeout) {
        try {
            return new LogLine(Pattern.compile(regex), timeout);
        } catch (PatternSyntaxException e) {
            throw new InvalidSpecException("ready", "'" + regex + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    /**
     * Parses the command-line form: {@code tcp}, {@code tcp:PORT}, {@code http:/path}, {@code http:PORT/path}
     * or {@code log:REGEX}.
     */
    static ReadinessProbe parse(String text, Duration timeout) {
        if (text.equals("tcp")) {
            return tcp(timeout);
        }
        if (text.startsWith("tcp:")) {
            return tcp(parsePort(text.substring(4), text), timeout);
        }
        if (text.startsWith("http:")) {
            String rest = text.substring(5);
            int slash = rest.indexOf('/');
            if (slash == 0) {
                return http(rest, timeout);
            }
            if (slash > 0) {
                return http(parsePort(rest.substring(0, slash), text), rest.substring(slash), timeout);
            }
        }
        if (text.startsWith("log:") && text.length() > 4) {
            return logLine(text.substring(4), timeout);
        }
        throw new InvalidSpecException("ready", "'" + text + "' is not a probe: use tcp, tcp:PORT, http:/path, http:PORT/path or log:REGEX");
    }

    private static int parsePort(String s, String whole) {
        try {
            int p = Integer.parseInt(s);
            checkPort(p);
            return p;
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("ready", "'" + whole + "' names no valid port");
        }
    }

    private static void checkPort(int p) {
        if (p < 1 || p > 65535) {
            throw new InvalidSpecException("ready", "probe port must be 1..65535, got " + p);
        }
    }

    private static void checkTimeout(Duration t) {
        Objects.requireNonNull(t, "timeout");
        if (t.isNegative() || t.isZero()) {
            throw new InvalidSpecException("ready", "probe timeout must be positive, got " + t);
        }
    }
}
