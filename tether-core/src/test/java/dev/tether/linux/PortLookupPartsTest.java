package dev.tether.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small pure pieces behind a port lookup: descriptor links, boot clock, user names. */
class PortLookupPartsTest {

    @Test
    void socketLinksGiveTheirInode() {
        assertThat(SocketOwners.parseSocketLink("socket:[48518]")).hasValue(48518L);
        assertThat(SocketOwners.parseSocketLink("pipe:[48518]")).isEmpty();
        assertThat(SocketOwners.parseSocketLink("/tmp/socket:[1]")).isEmpty();
        assertThat(SocketOwners.parseSocketLink("socket:[]")).isEmpty();
    }

    @Test
    void startTicksBecomeWallClockTime() {
        String stat = "cpu  1 2 3 4\nintr 5 6\nctxt 7\nbtime 1795319765\nprocesses 99\n";
        assertThat(BootClock.parseBootTime(stat)).hasValue(1795319765L);
        assertThat(BootClock.parseBootTime("cpu 1 2 3\n")).isEmpty();
        // 123456 ticks of 1/100 s after boot = 1234.56 s.
        assertThat(BootClock.instant(1795319765L, 123_456)).isEqualTo(Instant.ofEpochSecond(1795319765L + 1234, 560_000_000));
    }

    @Test
    void passwdMapsUidsToNames() {
        String passwd = """
                root:x:0:0:root:/root:/bin/bash
                # a comment
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                broken line
                toor:x:0:0:second root:/root:/bin/sh
                +@netgroup::::::
                alice:x:1000:1000::/home/alice:/bin/sh
                """;
        assertThat(UserNames.parsePasswd(passwd)).isEqualTo(Map.of(0, "root", 1, "daemon", 1000, "alice"));
        UserNames names = UserNames.of(Map.of(1000, "alice"));
        assertThat(names.name(1000, Long.MAX_VALUE)).isEqualTo("alice");
        assertThat(names.name(4242, Long.MAX_VALUE)).as("unknown uid, no such process: the number").isEqualTo("4242");
        assertThat(names.name(-1, Long.MAX_VALUE)).isEqualTo("?");
    }
}
