package dev.tether.testkit;

import dev.tether.ProcessSpec;
import dev.tether.Stdio;
import dev.tether.Supervisor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Child-JVM main for crash tests: opens a supervisor, starts every chaos scenario (tags
 * {@code PREFIX-<scenario>}), prints {@code started <instance> <guardian pid>}, then ends as told:
 * {@code close} (reads "go", closes, exits 0), {@code throw} (reads "go", main throws),
 * {@code wait} (blocks until signalled or killed).
 */
public final class CrashDriver {
    public static final List<String> SCENARIOS = List.of("deep-tree", "double-fork-setsid", "term-ignorer",
            "port-holder", "zombie-maker", "slow-graceful", "fork-bomb-lite");

    private CrashDriver() {}

    /** args: ending tagPrefix port markerFile graceSeconds */
    public static void main(String[] args) throws Exception {
        String ending = args[0];
        String prefix = args[1];
        int port = Integer.parseInt(args[2]);
        String marker = args[3];
        Duration grace = Duration.ofSeconds(Long.parseLong(args[4]));
        Supervisor sup = Supervisor.open();
        for (String scenario : SCENARIOS) {
            String tag = prefix + "-" + scenario;
            List<String> argv = switch (scenario) {
                case "port-holder" -> Chaos.command(scenario, tag, port);
                case "slow-graceful" -> Chaos.command(scenario, tag, marker);
                default -> Chaos.command(scenario, tag);
            };
            sup.start(ProcessSpec.builder(argv).grace(grace).stdout(Stdio.discard()).stderr(Stdio.discard()).build());
        }
        System.out.println("started " + sup.instanceId() + " " + sup.guardian().map(g -> g.pid()).orElse(0L));
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
            default -> {
                while (true) {
                    Thread.sleep(Duration.ofHours(1));
                }
            }
        }
    }
}
