package dev.tether.testkit;

import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.Session;
import dev.tether.Stdio;
import dev.tether.Supervisor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Child-JVM main for crash tests. Opens a supervisor on {@code $TETHER_HOME}, then:
 * <ul>
 *   <li>{@code close|throw|wait PREFIX MARKER GRACE_S}: starts every chaos scenario (tags
 *       {@code PREFIX-<scenario>}), each with a port and a session directory, prints
 *       {@code started <instance> <guardian pid> <port-holder port> <dirs,...>}, then ends as
 *       told: {@code close} (reads "go", closes), {@code throw} (reads "go", main throws),
 *       {@code wait} (blocks until signalled or killed);</li>
 *   <li>{@code churn PREFIX}: prints {@code started <instance> <guardian pid>}, then starts and
 *       stops sessions (each with a port and a directory) in a loop until killed.</li>
 * </ul>
 */
public final class CrashDriver {
    public static final List<String> SCENARIOS = List.of("deep-tree", "double-fork-setsid", "term-ignorer",
            "port-holder", "zombie-maker", "slow-graceful", "fork-bomb-lite");

    private CrashDriver() {}

    public static void main(String[] args) throws Exception {
        String ending = args[0];
        String prefix = args[1];
        Supervisor sup = Supervisor.open();
        if (ending.equals("churn")) {
            churn(sup, prefix);
            return;
        }
        String marker = args[2];
        Duration grace = Duration.ofSeconds(Long.parseLong(args[3]));
        int holderPort = 0;
        List<String> dirs = new ArrayList<>();
        for (String scenario : SCENARIOS) {
            String tag = prefix + "-" + scenario;
            List<String> argv = switch (scenario) {
                // port-holder listens on the port the supervisor leased it, from $PORT
                case "port-holder" -> List.of("/bin/sh", "-c", "exec \"$0\" \"$1\" \"$PORT\"",
                        Chaos.dir().resolve(scenario).toString(), tag);
                case "slow-graceful" -> Chaos.command(scenario, tag, marker);
                default -> Chaos.command(scenario, tag);
            };
            Session s = sup.start(ProcessSpec.builder(argv).grace(grace).port(PortRequest.any()).sessionDirectory()
                    .stdout(Stdio.discard()).stderr(Stdio.discard()).build());
            if (scenario.equals("port-holder")) {
                holderPort = s.port().getAsInt();
            }
            dirs.add(s.directory().orElseThrow().toString());
        }
        System.out.println("started " + sup.instanceId() + " " + sup.guardian().map(g -> g.pid()).orElse(0L) + " "
                + holderPort + " " + String.join(",", dirs));
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        switch (ending) {
            case "close" -> {
                in.readLine();
                sup.close();
                System.out.println("closed");
            }
            case "throw" -> {
                in.readLine();
                throw new IllegalStateException("uncaught: the application failed");
            }
            default -> new java.util.concurrent.CountDownLatch(1).await(); // until signalled or killed
        }
    }

    /**
     * Starts and stops sessions forever, keeping a few alive, so a SIGKILL lands at any step of
     * either way a start is recorded.
     */
    private static void churn(Supervisor sup, String tag) {
        System.out.println("started " + sup.instanceId() + " " + sup.guardian().map(g -> g.pid()).orElse(0L));
        System.out.flush();
        List<Session> live = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            // Half reserve a port and a directory (intent before the spawn), half nothing (one row after it).
            ProcessSpec.Builder spec = ProcessSpec.builder("sh", "-c", "sleep 300 & exec sleep 300")
                    .env("CHAOS_TAG", tag).grace(Duration.ofSeconds(1)).stdout(Stdio.discard()).stderr(Stdio.discard());
            Session s = sup.start((random.nextBoolean() ? spec.port(PortRequest.any()).sessionDirectory() : spec).build());
            live.add(s);
            if (live.size() > 3 || random.nextBoolean()) {
                live.remove(random.nextInt(live.size())).stop();
            }
        }
    }

    /** The directories a "started" line lists. */
    public static List<String> dirs(String startedLine) {
        String[] f = startedLine.split(" ");
        return f.length > 4 ? List.of(f[4].split(",")) : List.of();
    }
}
