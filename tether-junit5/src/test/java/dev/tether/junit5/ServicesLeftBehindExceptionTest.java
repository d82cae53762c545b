package dev.tether.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.PortOwner;
import dev.tether.ProcessId;
import dev.tether.ProcessInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServicesLeftBehindExceptionTest {

    @Test
    void theMessageNamesEverySurvivorAndHolder() {
        ProcessInfo holder = new ProcessInfo(new ProcessId("boot", 4242, 99), 1, "python3 -m http.server 8000", 1000,
                Optional.of("s1"), Optional.empty(), Optional.empty());
        var e = new ServicesLeftBehindException("test class shop.CheckoutIT",
                List.of(new ServicesLeftBehindException.Survivor("backend", "s1", 4242, "python3 -m http.server 8000"),
                        new ServicesLeftBehindException.Survivor("backend", "s1", 4243, "x".repeat(500))),
                List.of(new ServicesLeftBehindException.HeldPort("backend", 8000,
                        List.of(new PortOwner(8000, "127.0.0.1", holder, "dev", Optional.empty())))),
                List.of("frontend: 1 process(es) survived SIGKILL"));

        assertThat(e.getMessage()).isEqualTo("""
                the services of test class shop.CheckoutIT left something behind after their stop:
                  stop failed: frontend: 1 process(es) survived SIGKILL
                  survivor of service 'backend' (session s1): pid 4242 python3 -m http.server 8000
                  survivor of service 'backend' (session s1): pid 4243 %s...
                  port 8000 of service 'backend' cannot be bound again: held by pid 4242 python3 -m http.server 8000 on 127.0.0.1
                They are out of the stop's reach (started outside the service's tree, or missed by the containment level); stop them by pid.""".formatted("x".repeat(197)));
        assertThat(e.survivors()).hasSize(2);
        assertThat(e.heldPorts()).singleElement().extracting(ServicesLeftBehindException.HeldPort::port).isEqualTo(8000);
    }
}
