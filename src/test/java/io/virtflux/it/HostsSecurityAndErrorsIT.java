package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/** Hosts as the API shows them, who may do what, and how failures reach the caller. */
class HostsSecurityAndErrorsIT extends LabServiceTest {

  private static final ParameterizedTypeReference<List<Map<String, Object>>> LIST =
      new ParameterizedTypeReference<>() {};

  @Test
  void labHostsAreOnlineWithTheirFactsAndLanes() {
    List<Map<String, Object>> hosts =
        api.client()
            .get()
            .uri("/api/v1/hosts")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(LIST)
            .returnResult()
            .getResponseBody();
    assertThat(hosts).extracting(h -> h.get("name")).contains(SINGLE, PARALLEL);
    Map<String, Object> parallel = api.get("/api/v1/hosts/" + PARALLEL);
    assertThat(parallel.get("state")).isEqualTo("ONLINE");
    assertThat(parallel.get("transport")).isEqualTo("TCP");
    assertThat(parallel.get("hypervisor")).isEqualTo("QEMU");
    assertThat(parallel.get("libvirtVersion").toString()).startsWith("9.");
    assertThat(parallel.get("kvm")).isEqualTo("kvm".equals(Lab.virtType()));
    assertThat(parallel.get("domainType")).isEqualTo(Lab.virtType());
    assertThat(((Number) at(parallel, "cpu", "count")).intValue()).isPositive();
    assertThat(((Number) at(parallel, "memory", "totalMiB")).longValue()).isPositive();
    assertThat(at(parallel, "lane", "limit").toString()).isEqualTo("3");
    assertThat(at(api.get("/api/v1/hosts/" + SINGLE), "lane", "limit").toString()).isEqualTo("1");
  }

  @Test
  void anUnreachableHostIsRegisteredOfflineAndItsOperationsFailWith503() {
    Map<String, Object> registered =
        api.client()
            .post()
            .uri("/api/v1/hosts")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("name", "it-nowhere", "uri", "qemu+tcp://127.0.0.69:1/system"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody();
    assertThat(registered.get("state")).isEqualTo("OFFLINE");
    assertThat(registered.get("reason").toString()).isNotBlank();

    Map<String, Object> failed = api.await(api.deploy("it-nowhere", Guests.template("it-void", 1)));
    assertThat(failed.get("phase")).isEqualTo("FAILED");
    assertThat(at(failed, "error", "status").toString()).isEqualTo("503");
  }

  @Test
  void aHostConfiguredForKvmThatOffersNoneIsInError() {
    // a second name for a libvirt that is registered already is refused
    api.client()
        .post()
        .uri("/api/v1/hosts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "it-c-again", "uri", Lab.host(2).uri()))
        .exchange()
        .expectStatus()
        .isEqualTo(409);
    io.virtflux.lab.LabHost own = Lab.host(4);
    org.testcontainers.containers.GenericContainer<?> container = Lab.startOwn(own);
    try {
      Map<?, ?> registered =
          api.client()
              .post()
              .uri("/api/v1/hosts")
              .contentType(MediaType.APPLICATION_JSON)
              .bodyValue(Map.of("name", "it-e-kvm", "uri", own.uri(), "domainType", "kvm"))
              .exchange()
              .expectStatus()
              .isCreated()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody();
      assertThat(registered.get("state"))
          .as("%s", registered)
          .isEqualTo("kvm".equals(Lab.virtType()) ? "ONLINE" : "ERROR");
      api.client().delete().uri("/api/v1/hosts/it-e-kvm").exchange().expectStatus().isNoContent();
    } finally {
      container.stop();
    }
  }

  @Test
  void tokensAndRolesGuardTheApi() {
    web.get()
        .uri("/api/v1/hosts")
        .exchange()
        .expectStatus()
        .isUnauthorized()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    web.get()
        .uri("/api/v1/hosts")
        .header("Authorization", "Bearer wrong")
        .exchange()
        .expectStatus()
        .isUnauthorized();
    web.get()
        .uri("/api/v1/hosts")
        .header("Authorization", "Bearer " + Api.VIEWER_TOKEN)
        .exchange()
        .expectStatus()
        .isOk();
    web.post()
        .uri("/api/v1/vms")
        .header("Authorization", "Bearer " + Api.VIEWER_TOKEN)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of())
        .exchange()
        .expectStatus()
        .isForbidden()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    web.post()
        .uri("/api/v1/hosts")
        .header("Authorization", "Bearer " + Api.OPERATOR_TOKEN)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "x", "uri", "test:///default"))
        .exchange()
        .expectStatus()
        .isForbidden();
    web.get().uri("/actuator/health").exchange().expectStatus().isOk();
    web.get().uri("/v3/api-docs").exchange().expectStatus().isOk();
  }

  @Test
  void libvirtRefusalsBecomeProblemsInTheOperation() {
    String vm = "it-errors";
    api.succeeded(api.deploy(PARALLEL, Guests.template(vm, 1)));
    Map<String, Object> resume = api.await(api.action(vm, "resume"));
    assertThat(resume.get("phase")).isEqualTo("FAILED");
    assertThat(at(resume, "error", "status").toString()).as("%s", resume).isEqualTo("409");
    assertThat(at(resume, "error", "libvirtCode").toString())
        .isEqualTo("VIR_ERR_OPERATION_INVALID");

    api.client()
        .post()
        .uri("/api/v1/vms")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("host", SINGLE, "template", Guests.template(vm, 1)))
        .exchange()
        .expectStatus()
        .isEqualTo(409);

    api.client()
        .get()
        .uri("/api/v1/vms/no-such-vm")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }

  @Test
  void theIdempotencyKeyReturnsTheSameOperation() {
    Map<String, Object> template = Guests.template("it-idem", 1);
    Map<String, Object> body = Map.of("host", PARALLEL, "template", template);
    Map<?, ?> first = post("it-key-1", body);
    Map<?, ?> again = post("it-key-1", body);
    assertThat(again.get("id")).isEqualTo(first.get("id"));
    api.succeeded(api.get("/api/v1/operations/" + first.get("id")));
    api.succeeded(api.action("it-idem", "cancel"));
    api.remove("it-idem");
  }

  private Map<?, ?> post(String key, Object body) {
    return api.client()
        .post()
        .uri("/api/v1/vms")
        .header("Idempotency-Key", key)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody();
  }
}
