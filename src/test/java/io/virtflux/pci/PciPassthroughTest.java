package io.virtflux.pci;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.TestDriverNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * PCI passthrough and placement against libvirt's test driver: two in-process hosts whose node
 * files declare PCI devices (t-one: 8 GiB, an Intel iGPU and an NVIDIA T4; t-two: 2 GiB and a T4).
 * Matching, the inventory's holder, placement without a host, and the race for the last device.
 * (Booting and hotplug need a real daemon; choosing a device does not.)
 */
@SpringBootTest(properties = "virtflux.probe-interval=0s")
@AutoConfigureWebTestClient
@WithMockUser(
    username = "alice",
    roles = {"VIEWER", "OPERATOR", "ADMIN"})
class PciPassthroughTest {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void hosts(DynamicPropertyRegistry registry) {
    Path dir = TestDriverNodes.copied("virtflux-pci");
    // an indexed list binds from one property source only: every host property goes here
    String[][] hosts = {{"t-one", "node-one.xml"}, {"t-two", "node-two.xml"}};
    for (int i = 0; i < hosts.length; i++) {
      String p = "virtflux.hosts[" + i + "].";
      String name = hosts[i][0];
      String uri = "test://" + dir.resolve(hosts[i][1]);
      registry.add(p + "name", () -> name);
      registry.add(p + "uri", () -> uri);
      registry.add(p + "parallel-actions", () -> "true");
      registry.add(p + "max-actions", () -> "4");
    }
    registry.add("virtflux.journal.path", () -> dir.resolve("journal").toString());
  }

  private static Map<String, Object> template(String name, long memory, List<?> pci) {
    return Map.of("name", name, "memory", memory, "pci", pci);
  }

  private WebTestClient.ResponseSpec deploy(Map<String, Object> body) {
    return web.post()
        .uri("/api/v1/vms")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private Map<String, Object> accepted(Map<String, Object> body) {
    return deploy(body)
        .expectStatus()
        .isAccepted()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> finished(Map<String, Object> op) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      Map<String, Object> now = get("/api/v1/operations/" + op.get("id"));
      String phase = now.get("phase").toString();
      if (!phase.equals("QUEUED") && !phase.equals("RUNNING")) {
        return now;
      }
      assertThat(System.nanoTime()).as("operation %s ends", op.get("id")).isLessThan(deadline);
      sleep(20);
    }
  }

  private Map<String, Object> get(String path) {
    return web.get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private List<Map<String, Object>> pci(String host, String filter) {
    return web.get()
        .uri("/api/v1/hosts/{h}/pci-devices?filter={f}", host, filter)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBodyList(JSON)
        .returnResult()
        .getResponseBody();
  }

  @Test
  void aRequestGetsAFreeMatchingDeviceWhichThenShowsItsVm() {
    Map<String, Object> done =
        finished(
            accepted(
                Map.of(
                    "host",
                    "t-one",
                    "template",
                    template("p-gpu", 256, List.of(Map.of("vendor", "10de", "class", "0302"))))));
    assertThat(done.get("phase")).as("%s", done).isEqualTo("SUCCEEDED");
    assertThat(done.get("result").toString()).contains("0000:65:00.0 10de:1eb8:0302");
    String xml =
        web.get()
            .uri("/api/v1/vms/p-gpu/xml")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(xml).contains("<hostdev mode='subsystem' type='pci' managed='yes'>", "bus='0x65'");
    assertThat(pci("t-one", "10de::0302"))
        .singleElement()
        .satisfies(d -> assertThat(d.get("vm")).isEqualTo("p-gpu"));
    // its sibling function (HD audio) was not asked for and stays free
    assertThat(pci("t-one", "10de::0403"))
        .singleElement()
        .satisfies(d -> assertThat(d).doesNotContainKey("vm"));

    // the only T4 of t-one is taken: refused before anything is queued, naming what was asked
    Map<String, Object> problem =
        deploy(
                Map.of(
                    "host",
                    "t-one",
                    "template",
                    template("p-gpu-2", 256, List.of(Map.of("device", "1eb8")))))
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat(problem.get("title")).isEqualTo("No free PCI device");
    assertThat(problem.get("asked").toString()).contains(":1eb8:");
    assertThat(problem.get("matching").toString()).contains("0000:65:00.0", "held by p-gpu");

    // a live migration of a VM with a host device is refused
    web.post()
        .uri("/api/v1/vms/p-gpu/migrations")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("destination", "t-two"))
        .exchange()
        .expectStatus()
        .isEqualTo(409)
        .expectBody(JSON)
        .value(p -> assertThat(p.get("title")).isEqualTo("PCI passthrough"));
  }

  @Test
  void placementPicksTheHostThatHasTheDeviceAndTheMemory() {
    // 4 GiB: only t-one has the memory (its T4 may be taken, the iGPU is free)
    Map<String, Object> big =
        finished(
            accepted(
                Map.of("template", template("p-big", 4096, List.of(Map.of("class", "0300"))))));
    assertThat(big.get("phase")).as("%s", big).isEqualTo("SUCCEEDED");
    assertThat(big.get("result").toString()).contains("host=t-one", "placement=");

    // both hosts lack something: each one's reason is in the problem
    Map<String, Object> none =
        deploy(Map.of("template", template("p-none", 4096, List.of(Map.of("vendor", "1002")))))
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    assertThat(none.get("title")).isEqualTo("No host fits");
    assertThat(none.get("detail").toString())
        .contains("t-one: asked [1002::]", "t-two: needs 4096 MiB");
  }

  @Test
  void twoDeploysRacingForTheLastDeviceOneWinsTheOtherFailsClearly() {
    List<CompletableFuture<Map<String, Object>>> racers = new ArrayList<>();
    for (String vm : List.of("p-race-1", "p-race-2")) {
      racers.add(
          CompletableFuture.supplyAsync(
              () -> {
                var spec =
                    deploy(
                        Map.of(
                            "host",
                            "t-two",
                            "template",
                            template(vm, 128, List.of(Map.of("vendor", "10de")))));
                var result = spec.returnResult(JSON);
                Map<String, Object> body = result.getResponseBody().blockFirst();
                return result.getStatus().value() == 202 ? finished(body) : body;
              }));
    }
    List<Map<String, Object>> outcomes = racers.stream().map(CompletableFuture::join).toList();
    assertThat(outcomes).filteredOn(o -> "SUCCEEDED".equals(o.get("phase"))).hasSize(1);
    Map<String, Object> loser =
        outcomes.stream()
            .filter(o -> !"SUCCEEDED".equals(o.get("phase")))
            .findFirst()
            .orElseThrow();
    // refused at once (409), or failed inside the lane, with the same problem
    assertThat(loser.toString()).contains("No free PCI device", "asked [10de::]");
    assertThat(pci("t-two", ""))
        .singleElement()
        .satisfies(d -> assertThat(d.get("vm").toString()).startsWith("p-race-"));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
