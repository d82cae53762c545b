package dev.tether.testkit;

import dev.tether.Containment;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.Supervisor;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-JVM main for guardian tests without cgroups: opens a supervisor at the process group +
 * marker level and starts N sessions whose main process clears its environment
 * ({@code exec env -i sleep}, so no marker shows it; only its identity and session do), plus a
 * double-forked {@code setsid} escapee (found by its marker). Prints
 * {@code started <instance> <guardian pid> <main pid:start time>,...} and waits to be killed.
 * Arguments: TAG N.
 */
public final class MarkerModeDriver {
    private MarkerModeDriver() {}

    public static void main(String[] args) throws Exception {
        String tag = args[0];
        int n = Integer.parseInt(args[1]);
        Supervisor sup = Supervisor.builder().containment(Containment.PROCESS_GROUP_AND_MARKER).open();
        List<String> mains = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Session s = sup.start(ProcessSpec.builder("/bin/sh", "-c", "sleep 300 & exec env -i /bin/sleep 301")
                    .stdout(Stdio.discard()).stderr(Stdio.discard()).build());
            mains.add(s.pid() + ":" + s.processId().startTime());
        }
        sup.start(ProcessSpec.builder(Chaos.command("double-fork-setsid", tag)).stdout(Stdio.discard()).stderr(Stdio.discard()).build());
        // Some sessions end again, so what the guardian knows is not only additions.
        for (int i = 0; i < n / 2; i++) {
            sup.start(ProcessSpec.builder("/bin/true").build()).onStopped().join();
        }
        System.out.println("started " + sup.instanceId() + " " + sup.guardian().orElseThrow().pid() + " " + String.join(",", mains));
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
