package dev.tether.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFsTest {
    @Test
    void parsesStatWithSpacesAndParenthesesInTheName() {
        String line = "4242 (my (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 123456 1000 200 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        ProcFs.Stat st = ProcFs.parseStat(4242, line).orElseThrow();
        assertThat(st.name()).isEqualTo("my (weird) name");
        assertThat(st.state()).isEqualTo('S');
        assertThat(st.parentPid()).isEqualTo(1);
        assertThat(st.processGroup()).isEqualTo(4242);
        assertThat(st.session()).isEqualTo(4242);
        assertThat(st.startTime()).isEqualTo(123456);
    }

    @Test
    void zombiesAndShortLinesAreRecognised() {
        assertThat(ProcFs.parseStat(1, "1 (x) Z 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99 0 0").orElseThrow().isZombie()).isTrue();
        assertThat(ProcFs.parseStat(1, "1 (x) S 0 1")).isEmpty();
        assertThat(ProcFs.parseStat(1, "garbage")).isEmpty();
    }

    @Test
    void readsThisProcess() {
        ProcFs.Stat self = ProcFs.stat(ProcessHandle.current().pid()).orElseThrow();
        assertThat(self.isZombie()).isFalse();
        assertThat(self.startTime()).isPositive();
        assertThat(ProcFs.usage(ProcessHandle.current().pid()).orElseThrow().rssBytes()).isPositive();
    }
}
