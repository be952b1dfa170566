package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.Virsh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A VM started with virsh behind the service's back: a host sync finds it, it is listed as
 * unmanaged, an import makes it managed (shutdown, OpenNebula's "Poweroff", is then refused; other
 * actions work), and a disabled host refuses new operations but a sync.
 */
class HostSyncAndImportIT extends LabServiceTest {

  private static final LabHost SPARE = Lab.host(2);

  /** The lab guest's domain XML as the service would define it, defined and started by virsh. */
  private void startBehindTheBack(String vm) {
    String xml =
        api.client()
            .post()
            .uri("/api/v1/vms:render")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("host", SPARE.name(), "template", Guests.template(vm, 1)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    try {
      Path file = Files.createTempFile("virtflux-wild", ".xml");
      Files.writeString(file, xml);
      Virsh.run(SPARE, "define", file.toString());
      Virsh.run(SPARE, "start", vm);
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Object> sync(String query) {
    return api.succeeded(api.submit("/api/v1/hosts/" + SPARE.name() + "/sync" + query, null));
  }

  @Test
  void syncFindsAVmStartedElsewhereWhichAnImportMakesManaged() {
    String vm = "it-wild";
    startBehindTheBack(vm);

    Map<String, Object> synced = sync("?force=true");
    assertThat(at(synced, "result", "reconnected").toString()).isEqualTo("true");
    Map<String, Object> host = api.get("/api/v1/hosts/" + SPARE.name());
    List<Map<String, Object>> vms = at(host, "monitoring", "vms");
    assertThat(vms)
        .filteredOn(v -> vm.equals(v.get("name")))
        .singleElement()
        .satisfies(v -> assertThat(v.get("state")).isEqualTo("RUNNING"));
    assertThat(host.get("pci")).asList().isNotEmpty();
    assertThat(api.get("/api/v1/vms/" + vm).get("managed")).isEqualTo(false);

    Map<String, Object> imported = api.succeeded(api.submit("/api/v1/vms/" + vm + "/import", null));
    assertThat(at(imported, "result", "managed").toString()).isEqualTo("true");
    assertThat(api.get("/api/v1/vms/" + vm).get("managed")).isEqualTo(true);
    api.refused(HttpMethod.POST, "/api/v1/vms/" + vm + "/import", null, 409);
    Map<String, Object> noPoweroff =
        api.refused(HttpMethod.POST, "/api/v1/vms/" + vm + "/actions/shutdown", null, 409);
    assertThat(noPoweroff.get("title")).isEqualTo("Not offered for imported VMs");

    // hotplug works on it now
    Guests.awaitConsole(vm, "LABGUEST: READY", Duration.ofSeconds(120));
    api.succeeded(api.submit("/api/v1/vms/" + vm + "/nics", Map.of("type", "user")));
    Guests.awaitDevice(vm, "eth1", true);

    // a disabled host takes no new operation but a sync
    Map<String, Object> disabled = api.get("/api/v1/hosts/" + SPARE.name());
    try {
      disabled = post("/api/v1/hosts/" + SPARE.name() + "/disable");
      assertThat(disabled.get("state")).isEqualTo("DISABLED");
      Map<String, Object> refused =
          api.refused(HttpMethod.POST, "/api/v1/vms/" + vm + "/actions/cancel", null, 409);
      assertThat(refused.get("detail").toString()).contains("disabled");
      sync("");
    } finally {
      assertThat(post("/api/v1/hosts/" + SPARE.name() + "/enable").get("state"))
          .isEqualTo("ONLINE");
    }
    api.remove(vm);
  }

  private Map<String, Object> post(String path) {
    return api.client()
        .post()
        .uri(path)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(
            new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {})
        .returnResult()
        .getResponseBody();
  }
}
