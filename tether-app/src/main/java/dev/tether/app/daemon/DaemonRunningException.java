package dev.tether.app.daemon;

import dev.tether.PidFile;
import dev.tether.TetherException;
import java.nio.file.Path;

/** A live daemon already owns the home; nothing was started. Carries who it is. */
public final class DaemonRunningException extends TetherException {
    private final transient PidFile.Holder holder;

    DaemonRunningException(Path home, PidFile.Holder holder) {
        super("a Tether daemon already runs for " + home + ": pid " + holder.pid() + ", started " + holder.startedAt()
                + holder.attributes().getOrDefault("url", "").transform(u -> u.isEmpty() ? "" : ", at " + u)
                + "; stop it first (kill -TERM " + holder.pid() + "), or use another home (--home)");
        this.holder = holder;
    }

    public PidFile.Holder holder() {
        return holder;
    }
}
