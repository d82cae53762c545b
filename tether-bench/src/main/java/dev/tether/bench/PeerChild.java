package dev.tether.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The peer of {@link LifecycleChild}, for (d): a JVM that starts the same tree with a plain
 * {@link ProcessBuilder} (no Tether class is loaded here), says {@code ready - - <pid> -}, and
 * waits to be SIGKILLed by the bench. Whatever survives that is what the JDK alone leaves.
 */
public final class PeerChild {
    /** How many double-fork-setsid escapees the tree holds beside the deep tree. */
    static final int ESCAPEES = 5;
    /** Tagged processes of the tree: this wrapper, the 121-process deep tree, 2 per escapee scenario. */
    static final int TREE_SIZE = 1 + 121 + 2 * ESCAPEES;
    /**
     * The tree's main process: starts {@code deep-tree TAG} and {@value #ESCAPEES} {@code double-fork-setsid TAG}
     * in the background and waits for them. Run as {@code sh -c SCRIPT <kit-dir> <tag> <escapees>}.
     */
    static final String SCRIPT = "d=$0 t=$1 n=$2; \"$d/deep-tree\" \"$t\" & i=0;"
            + " while [ \"$i\" -lt \"$n\" ]; do \"$d/double-fork-setsid\" \"$t\" & i=$((i + 1)); done; wait";

    private PeerChild() {}

    static List<String> command(String kitDir, String tag) {
        return List.of("/bin/sh", "-c", SCRIPT, kitDir, tag, Integer.toString(ESCAPEES));
    }

    /** Argument: the chaos kit's directory. Reads {@code start TAG} from stdin. */
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("start ")) {
                String tag = line.substring(6).trim();
                ProcessBuilder pb = new ProcessBuilder(command(args[0], tag))
                        .redirectInput(Redirect.from(new File("/dev/null")))
                        .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD);
                pb.environment().put("CHAOS_TAG", tag);
                Process p = pb.start();
                System.out.println("ready - - " + p.pid() + " -");
                System.out.flush();
            }
        }
    }
}
