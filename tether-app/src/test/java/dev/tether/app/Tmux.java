package dev.tether.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real terminal for tests: a tmux server on a private socket, one session whose pane runs a
 * command; keys are typed with send-keys and the screen read with capture-pane.
 */
final class Tmux implements AutoCloseable {
    private final String socket = "tether-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    private final String session = "t";

    Tmux(String command) throws IOException, InterruptedException {
        // The shell prints the command's status, since tmux 3.3 has no #{pane_dead_status} yet.
        tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", command + "; echo \"EXIT=$?\"");
        tmux("set-option", "-t", session, "remain-on-exit", "on");
    }

    static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", session);
    }

    void type(String keys) throws IOException, InterruptedException {
        tmux("send-keys", "-t", session, keys, "Enter");
    }

    /** The exit status of the pane's command once it has exited, else -1. */
    int exitStatus() throws IOException, InterruptedException {
        for (String line : screen().split("\n")) {
            if (line.startsWith("EXIT=")) {
                return Integer.parseInt(line.substring(5).strip());
            }
        }
        return -1;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /** Ends the private tmux server (only this test's socket). */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start().waitFor();
    }
}
