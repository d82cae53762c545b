package dev.tether.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaderThreadTest {
    @Test
    void theLeaderOfARunningJvmIsAliveByBothWaysOfAsking() {
        assertThat(LeaderThread.alive()).isTrue();
        assertThat(LeaderThread.statSaysAlive()).isTrue();
    }

    @Test
    void adoptedChildrenAreTheLeaderThreadsChildren() {
        assertThat(LeaderThread.adoptedChildren()).isEqualTo(ProcFs.taskChildren(ProcessHandle.current().pid()).orElseThrow());
    }
}
