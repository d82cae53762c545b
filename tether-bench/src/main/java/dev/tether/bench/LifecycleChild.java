package dev.tether.bench;

import dev.tether.Containment;
import dev.tether.ProcessId;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.StopReport;
import dev.tether.Supervisor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The supervisor JVM of (d), started by {@link SigkillBench} with its own {@code TETHER_HOME}:
 * opens a supervisor (guardian on, shutdown hook on: the defaults) and obeys stdin.
 * {@code start TAG} starts {@link PeerChild#SCRIPT}'s tree as one session and answers
 * {@code ready <instance> <guardian-pid> <main-pid> <instance-cgroup-or-->}; {@code stop} stops
 * that session ({@code kill}: kills it, no grace) and answers {@code stopped <elapsed-ms> <signalled> <killed> <survivors>};
 * {@code exit} (or EOF) closes the supervisor. The bench SIGKILLs it instead when it measures the guardian.
 */
public final class LifecycleChild {
    private LifecycleChild() {}

    /** Arguments: containment ({@code DEFAULT} for the machine's best), the chaos kit's directory. */
    public static void main(String[] args) throws Exception {
        Supervisor.Builder b = Supervisor.builder();
        if (!args[0].equals("DEFAULT")) {
            b.containment(Containment.valueOf(args[0]));
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try (Supervisor sup = b.open()) {
            Session session = null;
            for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
                if (line.startsWith("start ")) {
                    String tag = line.substring(6).trim();
                    session = sup.start(ProcessSpec.builder(PeerChild.command(args[1], tag)).env("CHAOS_TAG", tag)
                            .stdin(Stdio.discard()).stdout(Stdio.discard()).stderr(Stdio.discard()).build());
                    String cgroup = session.cgroup().map(c -> Path.of(c).getParent().toString()).orElse("-");
                    System.out.println("ready " + sup.instanceId() + " " + sup.guardian().map(ProcessId::pid).orElse(-1L)
                            + " " + session.pid() + " " + cgroup);
                } else if ((line.equals("stop") || line.equals("kill")) && session != null) {
                    StopReport r = line.equals("stop") ? session.stop() : session.kill();
                    System.out.println("stopped " + r.elapsed().toNanos() / 1e6 + " " + r.signalled() + " " + r.killed()
                            + " " + r.survivors());
                } else {
                    System.out.println("error unknown command: " + line);
                }
                System.out.flush();
            }
        }
    }
}
