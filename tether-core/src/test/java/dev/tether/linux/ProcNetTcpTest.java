package dev.tether.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sample tables captured from Linux 6.18 x86_64 (uid column of one row edited to 1000). */
class ProcNetTcpTest {
    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
               0: 00000000:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 48519 1 000000003d553de2 100 0 0 10 0                     
               1: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 48518 1 00000000845def44 100 0 0 10 0                     
               2: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 640 1 00000000c3734026 100 0 0 10 0                       
               3: 0100007F:A0DE 0100007F:1F41 01 00000000:00000000 00:00000000 00000000     0        0 48523 2 000000009f1dad3c 20 0 0 10 -1                     
               4: 0100007F:1F41 0100007F:A0DE 01 00000000:00000000 00:00000000 00000000     0        0 48524 1 000000008d3dd4c5 20 0 0 10 -1                     
               5: 0100007F:1F40 0100007F:A0E0 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
            """;

    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:1F40 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 48520 1 0000000046866424 100 0 0 10 0
               1: 0000000000000000FFFF00000100007F:1F43 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 48522 1 000000000e9a8ab6 100 0 0 10 0
               2: 00000000000000000000000001000000:1F42 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 48521 1 00000000466d59ce 100 0 0 10 0
            """;

    @Test
    void parsesEveryRowOfAnIpv4TableAndSkipsTheHeader() {
        List<ProcNetTcp.Socket> rows = ProcNetTcp.parse(TCP);
        assertThat(rows).hasSize(6);
        assertThat(rows.get(1)).isEqualTo(new ProcNetTcp.Socket("127.0.0.1", 8000, ProcNetTcp.STATE_LISTEN, 1000, 48518));
        assertThat(rows.get(3)).isEqualTo(new ProcNetTcp.Socket("127.0.0.1", 41182, 0x01, 0, 48523));
    }

    @Test
    void listeningKeepsOnlyListenRowsOfThePort() {
        assertThat(ProcNetTcp.listening(TCP, 8001))
                .as("the ESTABLISHED row with local port 8001 is not a listener")
                .containsExactly(new ProcNetTcp.Socket("0.0.0.0", 8001, ProcNetTcp.STATE_LISTEN, 0, 48519));
        assertThat(ProcNetTcp.listening(TCP, 8000))
                .as("the TIME_WAIT row (state 06, inode 0) is not a listener")
                .extracting(ProcNetTcp.Socket::inode).containsExactly(48518L);
        assertThat(ProcNetTcp.listening(TCP, 41182)).isEmpty();
        assertThat(ProcNetTcp.listening(TCP, 9999)).isEmpty();
    }

    @Test
    void parsesIpv6TableIncludingWildcardLoopbackAndMappedAddresses() {
        assertThat(ProcNetTcp.listening(TCP6, 8000))
                .containsExactly(new ProcNetTcp.Socket("::", 8000, ProcNetTcp.STATE_LISTEN, 0, 48520));
        assertThat(ProcNetTcp.listening(TCP6, 8002)).extracting(ProcNetTcp.Socket::address).containsExactly("::1");
        assertThat(ProcNetTcp.listening(TCP6, 8003)).extracting(ProcNetTcp.Socket::address).containsExactly("::ffff:127.0.0.1");
    }

    @Test
    void ipv6AddressesAreWrittenInRfc5952Form() {
        // 2001:db8::1 and 1:0:0:2:0:0:0:3 (the longer zero run is shortened), as the kernel prints them.
        assertThat(ProcNetTcp.address("B80D0120000000000000000001000000")).hasValue("2001:db8::1");
        assertThat(ProcNetTcp.address("00000100020000000000000003000000")).hasValue("1:0:0:2::3");
        assertThat(ProcNetTcp.address("000080FE00000000FF000000010000FE")).hasValue("fe80::ff:fe00:1");
        assertThat(ProcNetTcp.address("B80D0120010000000100000001000000")).as("single zero group kept").hasValue("2001:db8:0:1:0:1:0:1");
    }

    @Test
    void malformedRowsAreSkipped() {
        assertThat(ProcNetTcp.parse("")).isEmpty();
        assertThat(ProcNetTcp.parse("   0: 0100007F:1F40 00000000:0000 0A")).as("truncated").isEmpty();
        assertThat(ProcNetTcp.parse("   0: 0100ZZ7F:1F40 00000000:0000 0A 0:0 0:0 0 0 0 1")).as("bad hex").isEmpty();
        assertThat(ProcNetTcp.parse("   0: 01007F:1F40 00000000:0000 0A 0:0 0:0 0 0 0 1")).as("bad width").isEmpty();
    }
}
