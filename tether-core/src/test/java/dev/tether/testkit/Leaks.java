package dev.tether.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds live processes whose initial environment carries an entry, read straight from
 * {@code /proc} (independently of Tether's own scanner), so a test can prove nothing it started
 * survives.
 */
public final class Leaks {
    private Leaks() {}

    /** Pids of live (non-zombie) processes whose environment holds exactly {@code key=value}. */
    public static List<Long> withEnv(String key, String value) {
        byte[] needle = (key + "=" + value).getBytes(StandardCharsets.UTF_8);
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.ISO_8859_1);
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (state == 'Z' || state == 'X') {
                        continue;
                    }
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    if (containsEntry(env, needle)) {
                        out.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Live processes started by a supervisor instance. */
    public static List<Long> ofInstance(String instanceId) {
        return withEnv("TETHER_INSTANCE", instanceId);
    }

    private static boolean containsEntry(byte[] env, byte[] needle) {
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == needle.length) {
                    boolean eq = true;
                    for (int j = 0; j < needle.length && eq; j++) {
                        eq = env[start + j] == needle[j];
                    }
                    if (eq) {
                        return true;
                    }
                }
                start = i + 1;
            }
        }
        return false;
    }
}
