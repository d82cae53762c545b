package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
    @TempDir
    Path tmp;

    @Test
    void theLastTwentyLines() throws IOException {
        Path log = tmp.resolve("svc.log");
        Files.writeString(log, IntStream.rangeClosed(1, 50).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));
        assertThat(LogTail.of(Optional.of(log))).hasSize(20).startsWith("line 31").endsWith("line 50");
    }

    @Test
    void aHugeLogIsReadFromItsEndOnly() throws IOException {
        Path log = tmp.resolve("big.log");
        Files.writeString(log, "x".repeat(100_000) + "\nlast words\n");
        assertThat(LogTail.of(Optional.of(log))).containsExactly("last words");
    }

    @Test
    void noLogNoTail() {
        assertThat(LogTail.of(Optional.empty())).isEmpty();
        assertThat(LogTail.of(Optional.of(tmp.resolve("missing.log")))).isEmpty();
    }
}
