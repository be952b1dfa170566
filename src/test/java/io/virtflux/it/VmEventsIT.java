package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.Virsh;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** libvirt's lifecycle events reach the event stream, including changes made behind our back. */
class VmEventsIT extends LabServiceTest {

  @Test
  void aVirshDestroyBehindTheServicesBackIsOnTheStreamWithinASecond() throws Exception {
    String vm = "it-ev";
    CompletableFuture<Map<String, Object>> started = api.nextVmEvent(vm, "started");
    api.succeeded(api.deploy(PARALLEL, Guests.template(vm, 1)));
    assertThat(started.get(5, TimeUnit.SECONDS))
        .containsEntry("host", PARALLEL)
        .containsEntry("vm", vm)
        .containsEntry("detail", "booted");
    Guests.awaitConsole(vm, "LABGUEST: READY", Duration.ofSeconds(120));

    CompletableFuture<Map<String, Object>> stopped = api.nextVmEvent(vm, "stopped");
    Virsh.run(Lab.host(1), "destroy", vm);
    long destroyed = System.nanoTime();
    Map<String, Object> event = stopped.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - destroyed)).isLessThan(Duration.ofSeconds(1));
    assertThat(event).containsEntry("detail", "destroyed").containsEntry("host", PARALLEL);

    CompletableFuture<Map<String, Object>> undefined = api.nextVmEvent(vm, "undefined");
    api.remove(vm);
    assertThat(undefined.get(5, TimeUnit.SECONDS)).containsEntry("vm", vm);
  }
}
