package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.InvalidSpecException;
import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceSpecTest {
    private static final ProcessSpec SLEEP = ProcessSpec.of("sleep", "60");

    @ParameterizedTest
    @ValueSource(strings = {"", "1st", "has space", "../up", "a/b", "x\n"})
    void namesThatCannotNameAFileOrVariableAreRejected(String name) {
        assertThatThrownBy(() -> ServiceSpec.of(name, SLEEP)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("service name").hasMessageContaining("starting with a letter");
    }

    @Test
    void theNameGivesTheVariableLaterServicesFindThePortIn() {
        assertThat(ServiceSpec.of("backend", SLEEP).portVariable()).isEqualTo("BACKEND_PORT");
        assertThat(ServiceSpec.of("auth-api.v2", SLEEP).portVariable()).isEqualTo("AUTH_API_V2_PORT");
    }

    @Test
    void aServiceWithAPortWaitsForItByDefault() {
        ServiceSpec s = ServiceSpec.of("db", SLEEP).withPort(PortRequest.any());
        assertThat(s.process().port()).contains(PortRequest.any());
        assertThat(s.effectiveProbe()).hasValue(ReadinessProbe.tcp(ServiceSpec.DEFAULT_READY_TIMEOUT));
        assertThat(ServiceSpec.of("job", SLEEP).effectiveProbe()).isEmpty();
    }

    @Test
    void aGivenProbeWins() {
        ReadinessProbe http = ReadinessProbe.http("/health", Duration.ofSeconds(5));
        assertThat(ServiceSpec.of("api", SLEEP).withPort(PortRequest.any()).withReady(http).effectiveProbe()).hasValue(http);
    }

    @Test
    void theBuilderNeedsServicesWithDistinctNames() {
        assertThatThrownBy(() -> TetherExtension.builder().build()).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("add at least one");
        assertThatThrownBy(() -> TetherExtension.builder().service("a", SLEEP).service("a", SLEEP).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("'a' is used twice");
    }
}
