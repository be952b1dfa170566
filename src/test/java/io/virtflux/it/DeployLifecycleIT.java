package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmlunit.builder.Input;
import org.xmlunit.xpath.JAXPXPathEngine;

/** Deploy and lifecycle of a real guest on a real libvirt host, through the REST API. */
class DeployLifecycleIT extends LabServiceTest {

  private static final Duration BOOT = Duration.ofSeconds(120);

  @Test
  void deployedGuestBootsWithCpuSharesAndFollowsEveryLifecycleAction() {
    String vm = "it-life";
    Map<String, Object> op = api.deploy(SINGLE, Guests.template(vm, 0.5));
    assertThat(op.get("phase")).isEqualTo("QUEUED");
    Map<String, Object> done = api.succeeded(op);
    assertThat(at(done, "result", "host").toString()).isEqualTo(SINGLE);
    assertThat(at(done, "result", "domainType").toString()).isEqualTo(Lab.virtType());
    Guests.awaitConsole(vm, "LABGUEST: READY", BOOT);

    Map<String, Object> view = api.get("/api/v1/vms/" + vm);
    assertThat(view.get("host")).isEqualTo(SINGLE);
    assertThat(view.get("state")).isEqualTo("RUNNING");
    assertThat(view.get("managed")).isEqualTo(true);

    String live =
        web.get()
            .uri("/api/v1/vms/{vm}/xml", vm)
            .header("Authorization", "Bearer " + Api.VIEWER_TOKEN)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(new JAXPXPathEngine().evaluate("/domain/cputune/shares", Input.from(live).build()))
        .isEqualTo("512");

    assertState(api.succeeded(api.action(vm, "suspend")), "PAUSED");
    assertState(api.succeeded(api.action(vm, "resume")), "RUNNING");
    assertState(api.succeeded(api.action(vm, "save")), "SHUTOFF");
    assertState(api.succeeded(api.action(vm, "restore")), "RUNNING");
    Guests.awaitHeartbeatAfter(vm, Guests.heartbeat(vm));

    Map<String, Object> shutdown = api.succeeded(api.action(vm, "shutdown"));
    assertState(shutdown, "SHUTOFF");
    assertThat(at(shutdown, "result", "action").toString()).isEqualTo("acpi shutdown");
    assertThat(Guests.console(vm)).contains("power button");

    assertState(api.succeeded(api.action(vm, "start")), "RUNNING");
    assertState(api.succeeded(api.action(vm, "reboot")), "RUNNING");
    assertState(api.succeeded(api.action(vm, "reset")), "RUNNING");
    assertState(api.succeeded(api.action(vm, "cancel")), "SHUTOFF");

    api.remove(vm);
    web.get()
        .uri("/api/v1/vms/{vm}", vm)
        .header("Authorization", "Bearer " + Api.VIEWER_TOKEN)
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void brokenTemplateFailsWithLibvirtsMessageAndTheLaneMovesOn() {
    Map<String, Object> template = Guests.template("it-broken", 1);
    template.put(
        "disks",
        java.util.List.of(
            Map.of(
                "source",
                Lab.datastore().resolve("does-not-exist.raw").toString(),
                "driver",
                "raw",
                "devPrefix",
                "vd")));
    Map<String, Object> failed = api.await(api.deploy(SINGLE, template));
    assertThat(failed.get("phase")).isEqualTo("FAILED");
    assertThat(failed.get("result")).isNull();
    assertThat(at(failed, "error", "libvirtCode").toString()).startsWith("VIR_ERR_");
    assertThat(at(failed, "error", "detail").toString()).contains("does-not-exist.raw");

    String next = "it-after-broken";
    api.succeeded(api.deploy(SINGLE, Guests.template(next, 1)));
    api.succeeded(api.action(next, "cancel"));
    api.remove(next);
  }

  private static void assertState(Map<String, Object> op, String state) {
    assertThat(at(op, "result", "state").toString()).as("%s", op).isEqualTo(state);
  }
}
