package dev.tether.app.daemon;

import dev.tether.InvalidSpecException;
import dev.tether.PortRange;
import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import dev.tether.Signal;
import dev.tether.Stdio;
import dev.tether.StopPolicy;
import dev.tether.client.api.PortChoice;
import dev.tether.client.api.ReadyCheck;
import dev.tether.client.api.RestartPolicy;
import dev.tether.client.api.SessionRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a parsed {@link SessionRequest} into a {@link SessionPlan}, applying the daemon's defaults
 * (grace, readiness timeout, restart backoff) and refusing, with a 400 naming the field, whatever
 * {@link ProcessSpec} and the probes refuse. A session directory name that would leave the
 * sessions base is a 422: the request is well-formed, the daemon will not do it.
 */
final class SpecFactory {
    static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);

    private final Duration defaultGrace;

    SpecFactory(Duration defaultGrace) {
        this.defaultGrace = defaultGrace;
    }

    SessionPlan plan(SessionRequest r, Path logFile) {
        try {
            ProcessSpec.Builder b = ProcessSpec.builder(r.argv());
            if (r.cwd() != null) {
                Path cwd = Path.of(r.cwd());
                if (!cwd.isAbsolute()) {
                    throw ApiException.field("cwd", "must be an absolute path, got \"" + r.cwd() + "\"");
                }
                b.directory(cwd);
            }
            if (Boolean.FALSE.equals(r.inheritEnv())) {
                b.clearEnvironment();
            }
            if (r.env() != null) {
                b.env(r.env());
            }
            if (r.name() != null) {
                b.name(r.name());
            }
            if (r.tags() != null) {
                b.tags(new LinkedHashSet<>(r.tags()));
            }
            b.stopPolicy(new StopPolicy(signal(r.stopSignal()), r.grace() != null ? r.grace() : defaultGrace));
            if (r.port() != null) {
                b.port(switch (r.port()) {
                    case PortChoice.Fixed f -> PortRequest.fixed(f.port());
                    case PortChoice.Range g -> PortRequest.anyIn(new PortRange(g.first(), g.last()));
                    case PortChoice.Any a -> PortRequest.any();
                });
            }
            if (r.portEnv() != null) {
                b.portVariable(r.portEnv());
            }
            if (r.sessionDir() != null) {
                if (r.sessionDir().name() == null) {
                    b.sessionDirectory();
                } else {
                    b.sessionDirectory(r.sessionDir().name());
                }
            }
            b.stdin(Stdio.discard()).stdout(Stdio.appendTo(logFile)).stderr(Stdio.appendTo(logFile));
            ProcessSpec spec = b.build();
            Optional<ReadinessProbe> probe = Optional.ofNullable(r.ready()).map(this::probe);
            if (probe.isPresent() && !(probe.get() instanceof ReadinessProbe.LogLine) && spec.port().isEmpty()) {
                throw ApiException.field("ready", "a tcp or http probe checks the session's port: ask for one with \"port\"");
            }
            if (r.idleTimeout() != null && r.idleTimeout().isZero()) {
                throw ApiException.field("idle_timeout", "must be more than 0; leave it out for no idle culling");
            }
            return new SessionPlan(r, spec, probe, restart(r.restart()), Optional.ofNullable(r.idleTimeout()), logFile);
        } catch (InvalidSpecException e) {
            if (e.field().equals("sessionDirectory")) {
                throw ApiException.unprocessable("invalid_session_dir", "session_dir: " + e.getMessage().substring(e.field().length() + 2));
            }
            throw ApiException.field(apiName(e.field()), e.getMessage().substring(e.field().length() + 2));
        }
    }

    private static Signal signal(String s) {
        if (s == null) {
            return Signal.TERM;
        }
        try {
            return Signal.parse(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("stop_signal", e.getMessage());
        }
    }

    private ReadinessProbe probe(ReadyCheck c) {
        Duration timeout = c.timeout() != null ? c.timeout() : DEFAULT_READY_TIMEOUT;
        return switch (c) {
            case ReadyCheck.Tcp t -> new ReadinessProbe.TcpConnect(OptionalInt.empty(), timeout);
            case ReadyCheck.Http h -> new ReadinessProbe.HttpGet(h.path(), OptionalInt.empty(), timeout);
            case ReadyCheck.Log l -> {
                try {
                    yield new ReadinessProbe.LogLine(Pattern.compile(l.pattern()), timeout);
                } catch (PatternSyntaxException e) {
                    throw ApiException.field("ready.log.pattern", "is not a regular expression: " + e.getDescription()
                            + " near index " + e.getIndex());
                }
            }
        };
    }

    private static Restart restart(RestartPolicy p) {
        if (p == null || p.policy().equals(RestartPolicy.NEVER)) {
            return Restart.NEVER;
        }
        Duration backoff = p.backoff() != null ? p.backoff() : Restart.DEFAULT_BACKOFF;
        Duration max = p.maxBackoff() != null ? p.maxBackoff() : Restart.DEFAULT_MAX_BACKOFF;
        if (max.compareTo(backoff) < 0) {
            throw ApiException.field("restart.max_backoff", "must not be below backoff (" + backoff + "), got " + max);
        }
        return new Restart(true, p.maxRestarts() != null ? p.maxRestarts() : Restart.DEFAULT_MAX_RESTARTS, backoff, max);
    }

    /** The API's name for a {@link ProcessSpec} field. */
    private static String apiName(String field) {
        return switch (field) {
            case "portVariable" -> "port_env";
            case "signal" -> "stop_signal";
            case "port range" -> "port.range";
            default -> field;
        };
    }
}
