package io.virtflux.hotplug;

import static io.virtflux.hotplug.CountingGateway.VM;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.libvirt.DeviceScope;
import io.virtflux.libvirt.VmState;
import io.virtflux.libvirt.xml.DiskXml;
import io.virtflux.libvirt.xml.InterfaceXml;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationService;
import io.virtflux.operation.Phase;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The libvirt calls a hotplug makes, counted at the gateway, through the API and the operation
 * pipeline: an attach takes three (the locator's status, one XML read to plan it, the attach), and
 * when libvirt refuses the attach as planned (the VM changed while it waited), it is planned again
 * against both of the VM's documents. On a real host: {@code HotplugIT}.
 */
@SpringBootTest(
    properties = {
      "virtflux.probe-interval=0s",
      "virtflux.hosts[0].name=" + HotplugLibvirtCallsTest.HOST,
      "virtflux.hosts[0].uri=qemu+tcp://hp.test/system",
      "virtflux.hosts[0].datastores=/ds"
    })
@AutoConfigureWebTestClient
@WithMockUser(
    username = "alice",
    roles = {"VIEWER", "OPERATOR"})
class HotplugLibvirtCallsTest {

  static final String HOST = "hp-host";

  private static final String VDA =
      "<disk type='file' device='disk'><source file='/ds/a'/><target dev='vda' bus='virtio'/>"
          + "</disk>";
  private static final String NIC =
      "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/>"
          + "</interface>";

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @TestConfiguration(proxyBeanMethods = false)
  static class Gateway {

    @Bean
    @Primary
    CountingGateway countingGateway() {
      return new CountingGateway();
    }
  }

  @DynamicPropertySource
  static void journal(DynamicPropertyRegistry registry) throws IOException {
    String path = Files.createTempDirectory("virtflux-hotplug").resolve("journal").toString();
    registry.add("virtflux.journal.path", () -> path);
  }

  @Autowired WebTestClient web;
  @Autowired CountingGateway libvirt;
  @Autowired OperationService operations;

  @BeforeEach
  void runningPersistentVm() {
    libvirt.state = VmState.RUNNING;
    libvirt.devices(VDA + NIC);
    libvirt.reset();
  }

  @Test
  void aDiskAttachTakesThreeLibvirtCalls() {
    Operation done = succeeded(post("/disks", Map.of("source", "/ds/data.img", "devPrefix", "vd")));

    assertThat(libvirt.calls())
        .as("the locator's status, the live XML the disk is planned against, the attach")
        .containsExactlyInAnyOrderEntriesOf(Map.of("status", 1, "domainXml", 1, "attachDevice", 1));
    assertThat(result(done))
        .containsEntry("target", "vdb")
        .containsEntry("bus", "virtio")
        .containsEntry("live", true)
        .containsEntry("persistent", true)
        .containsEntry("source", "/ds/data.img");
    assertThat(libvirt.attached).singleElement().extracting(a -> a.scope()).isEqualTo(both());
  }

  @Test
  void aNicAttachWithAGeneratedMacTakesThreeLibvirtCalls() {
    Operation done = succeeded(post("/nics", Map.of("type", "user")));

    assertThat(libvirt.calls())
        .containsExactlyInAnyOrderEntriesOf(Map.of("status", 1, "domainXml", 1, "attachDevice", 1));
    String mac = (String) result(done).get("mac");
    assertThat(mac).startsWith("52:54:00:").isNotEqualTo("52:54:00:00:00:01");
    assertThat(result(done)).doesNotContainKey("source");
    assertThat(((InterfaceXml) libvirt.attached.get(0).device()).macAddress()).isEqualTo(mac);
  }

  @Test
  void aMacAskedForIsCheckedAgainstTheDefinitionToo() {
    // detached from the running domain only: the definition still has it
    libvirt.live = VDA;
    web.post()
        .uri("/api/v1/vms/{vm}/nics", VM)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("type", "user", "mac", "52:54:00:00:00:01"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("mac", "already in use"));
    assertThat(libvirt.calls())
        .as("both documents read, nothing attached")
        .containsExactlyInAnyOrderEntriesOf(Map.of("status", 1, "domainXml", 2));
  }

  @Test
  void aTargetTakenOnlyInTheDefinitionIsRefusedByLibvirtThenPlannedAgain() {
    // planned against the live XML, where vdb is free; libvirt refuses it for the definition
    libvirt.config =
        VDA
            + NIC
            + "<disk type='file' device='disk'><source file='/ds/b'/>"
            + "<target dev='vdb' bus='virtio'/></disk>";

    Operation done = succeeded(post("/disks", Map.of("source", "/ds/data.img", "devPrefix", "vd")));

    assertThat(result(done)).containsEntry("target", "vdc");
    assertThat(libvirt.attached)
        .singleElement()
        .extracting(a -> ((DiskXml) a.device()).targetDev())
        .isEqualTo("vdc");
    assertThat(libvirt.calls())
        .as("as planned: status, live XML, attach; planned again: status, both XMLs, attach")
        .containsExactlyInAnyOrderEntriesOf(Map.of("status", 2, "domainXml", 3, "attachDevice", 2));
  }

  @Test
  void aRefusalThatPlanningAgainDoesNotChangeStands() {
    Operation failed =
        awaitEnd(post("/disks", Map.of("source", "/ds/missing.img", "devPrefix", "vd")));

    assertThat(failed.phase()).isEqualTo(Phase.FAILED);
    assertThat(failed.error().getDetail()).contains("Cannot access storage file", "missing.img");
    assertThat(libvirt.calls())
        .as("planned again to the same plan: not attached twice")
        .containsExactlyInAnyOrderEntriesOf(Map.of("status", 2, "domainXml", 3, "attachDevice", 1));
  }

  @Test
  void anAttachQueuedWhileTheVmShutsOffGoesToItsDefinition() {
    Sinks.Empty<Void> release = Sinks.empty();
    libvirt.holdNextAttach = release;
    // the first attach holds the host's lane; the second waits behind it
    String first = post("/disks", Map.of("source", "/ds/one.img", "target", "vdb"));
    awaitPhase(first, Phase.RUNNING);
    String second = post("/disks", Map.of("source", "/ds/two.img", "target", "vdc"));
    assertThat(operations.find(second).block().phase()).isEqualTo(Phase.QUEUED);

    libvirt.state = VmState.SHUTOFF;
    release.tryEmitEmpty();

    // both were planned for a running VM; libvirt refuses their LIVE change now
    assertThat(result(succeeded(first)))
        .containsEntry("target", "vdb")
        .containsEntry("live", false)
        .containsEntry("persistent", true);
    assertThat(result(succeeded(second)))
        .containsEntry("target", "vdc")
        .containsEntry("live", false)
        .containsEntry("persistent", true);
    assertThat(libvirt.attached)
        .extracting(a -> a.scope())
        .containsExactly(DeviceScope.configOnly(), DeviceScope.configOnly());
  }

  @Test
  void aRequestThatCannotBeDoneIsRefusedBeforeAnythingIsQueued() {
    web.post()
        .uri("/api/v1/vms/{vm}/disks", VM)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("source", "/ds/data.img", "target", "vda"))
        .exchange()
        .expectStatus()
        .isBadRequest();
    web.delete().uri("/api/v1/vms/{vm}/disks/vdq", VM).exchange().expectStatus().isNotFound();
    web.delete().uri("/api/v1/vms/{vm}/nics/nope", VM).exchange().expectStatus().isBadRequest();
    assertThat(libvirt.attached).isEmpty();
  }

  @Test
  void everyHotplugHandlerConflictsWithAMigration(@Autowired List<HotplugHandler<?, ?>> all) {
    assertThat(all).hasSize(5);
    assertThat(all)
        .allSatisfy(h -> assertThat(h.conflictsWith()).containsExactly(OperationKind.MIGRATE));
  }

  // ---------------------------------------------------------------------------------------------

  private static DeviceScope both() {
    return new DeviceScope(true, true);
  }

  /** POSTs to the VM's {@code path}: the id of the operation accepted. */
  private String post(String path, Map<String, Object> body) {
    Map<String, Object> op =
        web.post()
            .uri("/api/v1/vms/" + VM + path)
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(body)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    return String.valueOf(op.get("id"));
  }

  private Operation succeeded(String id) {
    Operation op = awaitEnd(id);
    assertThat(op.phase()).as("%s", op).isEqualTo(Phase.SUCCEEDED);
    return op;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(Operation op) {
    return (Map<String, Object>) op.result();
  }

  private Operation awaitEnd(String id) {
    return awaitPhase(id, Phase.SUCCEEDED, Phase.FAILED, Phase.CANCELLED);
  }

  private Operation awaitPhase(String id, Phase... phases) {
    List<Phase> wanted = List.of(phases);
    return Flux.interval(Duration.ZERO, Duration.ofMillis(10))
        .onBackpressureDrop()
        .concatMap(tick -> operations.find(id))
        .filter(op -> wanted.contains(op.phase()))
        .blockFirst(Duration.ofSeconds(10));
  }
}
