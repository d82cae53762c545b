package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Argument checks of {@link Ports}; no process, no socket. */
class PortsTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65_536, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void portsOutsideTheTcpRangeAreRejected(int port) {
        assertThatThrownBy(() -> Ports.owners(port)).isInstanceOfSatisfying(InvalidSpecException.class,
                e -> assertThat(e.field()).isEqualTo("port"))
                .hasMessage("port: must be 1..65535, got " + port);
        assertThatThrownBy(() -> Ports.isFree(port)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("got " + port);
    }
}
