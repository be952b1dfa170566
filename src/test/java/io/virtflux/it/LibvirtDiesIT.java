package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.testcontainers.containers.GenericContainer;

/**
 * A host's libvirtd dies while an operation runs: the operation still ends, FAILED with "host
 * offline", the lane moves on, and once libvirtd is back the service reconnects by itself.
 */
class LibvirtDiesIT extends LabServiceTest {

  private static final LabHost DOOMED = Lab.host(3);

  GenericContainer<?> host;

  @BeforeEach
  void start() {
    host = Lab.startOwn(DOOMED);
  }

  @AfterEach
  void stop() {
    if (host != null) {
      host.stop();
    }
  }

  @Test
  void anOperationWhoseLibvirtdDiesEndsFailedAndTheServiceReconnects() {
    api.client()
        .post()
        .uri("/api/v1/hosts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", DOOMED.name(), "uri", DOOMED.uri()))
        .exchange()
        .expectStatus()
        .isCreated();
    String vm = "it-doomed";
    Map<String, Object> template = Guests.template(vm, 1);
    // acpi=off: the guest never hears the power button, so the shutdown waits until libvirtd dies
    template.put(
        "os",
        Map.of(
            "kernel", Lab.kernel().toString(),
            "initrd", Lab.initrd().toString(),
            "kernelCmd", "console=ttyS0 panic=-1 acpi=off"));
    api.succeeded(api.deploy(DOOMED.name(), template));
    Guests.awaitConsole(vm, "LABGUEST: READY", Duration.ofSeconds(120));

    Map<String, Object> shutdown = api.action(vm, "shutdown");
    api.awaitPhase(shutdown.get("id").toString(), "RUNNING");
    // a host with work on it is not removed without force
    Map<String, Object> busy =
        api.refused(
            org.springframework.http.HttpMethod.DELETE,
            "/api/v1/hosts/" + DOOMED.name(),
            null,
            409);
    assertThat(busy.get("title")).isEqualTo("Host busy");
    host.stop();

    Map<String, Object> failed = api.await(shutdown);
    assertThat(failed.get("phase")).isEqualTo("FAILED");
    assertThat(at(failed, "error", "status").toString()).as("%s", failed).isEqualTo("503");

    Map<String, Object> offline = api.get("/api/v1/hosts/" + DOOMED.name());
    assertThat(offline.get("state")).as("%s", offline).isEqualTo("OFFLINE");
    assertThat(offline).containsKeys("reason", "since");

    host = Lab.startOwn(DOOMED);
    // back without anyone using it: the re-probe of hosts that are not ONLINE finds it
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!"ONLINE".equals(api.get("/api/v1/hosts/" + DOOMED.name()).get("state"))) {
      assertThat(System.nanoTime()).as("host back ONLINE").isLessThan(deadline);
      Guests.sleep(250);
    }
    java.util.concurrent.CompletableFuture<Map<String, Object>> started =
        api.nextVmEvent("it-reborn", "started");
    Map<String, Object> again =
        api.await(api.deploy(DOOMED.name(), Guests.template("it-reborn", 1)));
    assertThat(again.get("phase")).as("%s", again).isEqualTo("SUCCEEDED");
    // the new connection registered its lifecycle listener again
    assertThat(started.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join())
        .containsEntry("host", DOOMED.name());

    api.remove("it-reborn");
    api.client()
        .delete()
        .uri("/api/v1/hosts/{h}", DOOMED.name())
        .exchange()
        .expectStatus()
        .isNoContent();
    api.refused(
        org.springframework.http.HttpMethod.GET, "/api/v1/hosts/" + DOOMED.name(), null, 404);
  }
}
