package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.PortRequest;
import dev.tether.ProcessSpec;
import dev.tether.ReadinessProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** Reading {@link Tether} classes: no service is started here. */
class DeclaredServicesTest {

    @Tether(lifecycle = ServiceLifecycle.PER_TEST, logDirectory = "build/service-logs")
    static class Shop {
        @TetherService(port = "any", ready = "http:/health", timeout = "5s")
        static ProcessSpec backend = ProcessSpec.of("backend-server");

        @TetherService(name = "web", port = "3000")
        static ProcessSpec frontend = ProcessSpec.of("frontend-server");

        @TetherService
        static ServiceSpec worker = ServiceSpec.of("worker", ProcessSpec.of("worker"))
                .withReady(ReadinessProbe.logLine("started", Duration.ofSeconds(9)));

        static ProcessSpec notAService = ProcessSpec.of("ignored");
    }

    @Test
    void servicesComeInDeclarationOrderWithTheirAttributes() {
        ServicesConfig c = DeclaredServices.read(Shop.class);

        assertThat(c.services()).extracting(ServiceSpec::name).containsExactly("backend", "web", "worker");
        ServiceSpec backend = c.services().get(0);
        assertThat(backend.process().port()).contains(PortRequest.any());
        assertThat(backend.ready()).hasValue(ReadinessProbe.http("/health", Duration.ofSeconds(5)));
        ServiceSpec web = c.services().get(1);
        assertThat(web.process().port()).contains(PortRequest.fixed(3000));
        assertThat(web.ready()).as("a port and no probe: a TCP connect, with the annotation's timeout")
                .hasValue(ReadinessProbe.tcp(Duration.ofSeconds(60)));
        assertThat(c.services().get(2).ready()).hasValueSatisfying(p -> assertThat(p.timeout()).hasSeconds(9));
        assertThat(c.lifecycle()).isEqualTo(ServiceLifecycle.PER_TEST);
        assertThat(c.logDirectory()).contains(Path.of("build/service-logs"));
        assertThat(c.settings()).isEmpty();
    }

    static class Base {
        @TetherService
        static ProcessSpec database = ProcessSpec.of("db");
    }

    static class Ordered extends Base {
        @TetherService
        static ProcessSpec late = ProcessSpec.of("late");

        @TetherService
        @Order(1)
        static ProcessSpec early = ProcessSpec.of("early");
    }

    @Test
    void superclassServicesFirstThenOrderAnnotationsWin() {
        assertThat(DeclaredServices.read(Ordered.class).services()).extracting(ServiceSpec::name)
                .containsExactly("early", "database", "late");
        assertThat(DeclaredServices.read(Ordered.class).lifecycle()).isEqualTo(ServiceLifecycle.PER_CLASS);
    }

    static class NotStatic {
        @TetherService
        ProcessSpec backend = ProcessSpec.of("x");
    }

    static class WrongType {
        @TetherService
        static String backend = "python3 -m http.server";
    }

    static class BadPort {
        @TetherService(port = "eighty")
        static ProcessSpec backend = ProcessSpec.of("x");
    }

    static class BadProbe {
        @TetherService(ready = "ftp:/x")
        static ProcessSpec backend = ProcessSpec.of("x");
    }

    static class BadTimeout {
        @TetherService(ready = "tcp:8000", timeout = "soon")
        static ProcessSpec backend = ProcessSpec.of("x");
    }

    static class Empty {
    }

    @Test
    void mistakesNameTheFieldAndWhatIsAccepted() {
        assertThatThrownBy(() -> DeclaredServices.read(NotStatic.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("NotStatic.backend must be static");
        assertThatThrownBy(() -> DeclaredServices.read(WrongType.class))
                .hasMessageContaining("WrongType.backend must be a ProcessSpec or a ServiceSpec, not java.lang.String");
        assertThatThrownBy(() -> DeclaredServices.read(BadPort.class))
                .hasMessageContaining("BadPort.backend: port must be 'any' or a number 1..65535, got 'eighty'");
        assertThatThrownBy(() -> DeclaredServices.read(BadProbe.class))
                .hasMessageContaining("BadProbe.backend").hasMessageContaining("use tcp, tcp:PORT, http:/path");
        assertThatThrownBy(() -> DeclaredServices.read(BadTimeout.class))
                .hasMessageContaining("BadTimeout.backend: 'soon' is not a duration");
        assertThatThrownBy(() -> DeclaredServices.read(Empty.class))
                .hasMessageContaining("declares no @TetherService static field");
    }

    @Tether(home = "/tmp/tether-home-for-tests")
    static class WithHome {
        @TetherService
        static ProcessSpec job = ProcessSpec.of("job");
    }

    @Test
    void aHomeGivesSettingsWithIt() {
        assertThat(DeclaredServices.read(WithHome.class).settings().map(s -> s.home()))
                .isEqualTo(Optional.of(Path.of("/tmp/tether-home-for-tests")));
    }
}
