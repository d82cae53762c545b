package dev.tether.junit5;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The last lines of a service's log, for failure messages. */
final class LogTail {
    static final int LINES = 20;
    private static final int MAX_BYTES = 16 * 1024;

    private LogTail() {}

    /** Up to {@link #LINES} last lines of {@code file}; empty when there is none or it cannot be read. */
    static List<String> of(Optional<Path> file) {
        if (file.isEmpty()) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.get().toFile(), "r")) {
            long start = Math.max(0, f.length() - MAX_BYTES);
            byte[] buf = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(buf);
            List<String> lines = Arrays.asList(new String(buf, StandardCharsets.UTF_8).split("\\R"));
            if (start > 0 && lines.size() > 1) {
                lines = lines.subList(1, lines.size()); // the first line is cut
            }
            return List.copyOf(lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
