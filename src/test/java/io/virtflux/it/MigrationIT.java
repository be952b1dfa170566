package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;

/** Live migration of a running guest between real lab hosts, through the API. */
class MigrationIT extends LabServiceTest {

  private static final String SPARE = "it-c";
  private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
      new ParameterizedTypeReference<>() {};

  /** A migration request the service must answer with {@code status}, queueing nothing. */
  private void refuse(String vm, Map<String, Object> body, int status) {
    api.client()
        .post()
        .uri("/api/v1/vms/{vm}/migrations", vm)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  private Map<String, Object> migrate(String vm, Map<String, Object> body) {
    return api.submit("/api/v1/vms/" + vm + "/migrations", body);
  }

  private String deployRunning(String vm, String host) {
    api.succeeded(api.deploy(host, Guests.template(vm, 1)));
    Guests.awaitConsole(vm, "LABGUEST: READY", Duration.ofSeconds(120));
    return vm;
  }

  @Test
  void liveMigrationThereAndBackKeepsTheGuestRunning() {
    String vm = deployRunning("it-mig", PARALLEL);

    Map<String, Object> there =
        migrate(
            vm,
            Map.of(
                "destination", SPARE, "unsafe", true, "mode", "peer-to-peer", "bandwidthMiBps", 8));
    List<ServerSentEvent<Map<String, Object>>> events = api.events(there.get("id").toString());
    Map<String, Object> done = api.get("/api/v1/operations/" + there.get("id"));
    assertThat(done.get("phase")).as("%s", done).isEqualTo("SUCCEEDED");
    assertThat(events)
        .extracting(e -> e.data().get("phase"))
        .startsWith("QUEUED", "RUNNING")
        .endsWith("SUCCEEDED");
    assertThat(events)
        .as("progress events while RUNNING")
        .anySatisfy(e -> assertThat(e.data().get("progress")).isNotNull());
    Guests.awaitHeartbeatAfter(vm, Guests.heartbeat(vm));

    Map<String, Object> view = api.get("/api/v1/vms/" + vm);
    assertThat(view.get("host")).isEqualTo(SPARE);
    assertThat(view.get("persistent")).isEqualTo(true);
    List<Map<String, Object>> onSource =
        api.client()
            .get()
            .uri("/api/v1/vms?host={h}", PARALLEL)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(new ParameterizedTypeReference<List<Map<String, Object>>>() {})
            .returnResult()
            .getResponseBody();
    assertThat(onSource).extracting(v -> v.get("name")).doesNotContain(vm);

    Map<String, Object> back =
        api.succeeded(
            migrate(vm, Map.of("destination", PARALLEL, "unsafe", true, "mode", "managed")));
    assertThat(at(back, "result", "destination").toString()).isEqualTo(PARALLEL);
    assertThat(api.get("/api/v1/vms/" + vm).get("host")).isEqualTo(PARALLEL);
    Guests.awaitHeartbeatAfter(vm, Guests.heartbeat(vm));

    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }

  @Test
  void fileDisksWithoutUnsafeFailWithAHintAndTheGuestStays() {
    String vm = deployRunning("it-mig-unsafe", PARALLEL);
    Map<String, Object> check =
        api.get("/api/v1/vms/" + vm + "/migrations/check?destination=" + SPARE);
    assertThat(check.get("allowed")).as("%s", check).isEqualTo(true);
    assertThat(check.get("warnings").toString()).contains("copyStorage");
    Map<String, Object> same =
        api.get("/api/v1/vms/" + vm + "/migrations/check?destination=" + PARALLEL);
    assertThat(same.get("allowed")).isEqualTo(false);

    Map<String, Object> failed = api.await(migrate(vm, Map.of("destination", SPARE)));
    assertThat(failed.get("phase")).isEqualTo("FAILED");
    assertThat(at(failed, "error", "libvirtCode").toString()).isEqualTo("VIR_ERR_MIGRATE_UNSAFE");
    assertThat(at(failed, "error", "hint").toString()).contains("unsafe: true");
    assertThat(api.get("/api/v1/vms/" + vm).get("host")).isEqualTo(PARALLEL);

    refuse(vm, Map.of("destination", PARALLEL), 409);
    api.client()
        .post()
        .uri("/api/v1/hosts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", "it-mig-nowhere", "uri", "qemu+tcp://127.0.0.70:1/system"))
        .exchange()
        .expectStatus()
        .isCreated();
    refuse(vm, Map.of("destination", "it-mig-nowhere"), 409);
    refuse(vm, Map.of("destination", "no-such-host"), 422);
    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }

  @Test
  void abortingAThrottledMigrationLeavesTheGuestOnTheSource() {
    String vm = deployRunning("it-mig-abort", PARALLEL);
    Map<String, Object> op =
        migrate(vm, Map.of("destination", SPARE, "unsafe", true, "bandwidthMiBps", 1));
    String id = op.get("id").toString();
    ServerSentEvent<Map<String, Object>> progress =
        api.client()
            .get()
            .uri("/api/v1/operations/{id}/events", id)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .returnResult(SSE)
            .getResponseBody()
            .filter(e -> e.data() != null && e.data().get("progress") != null)
            .blockFirst(Duration.ofSeconds(60));
    assertThat(progress).as("a progress event while the migration runs").isNotNull();
    refuse(vm, Map.of("destination", SPARE, "unsafe", true), 409);
    // no hotplug while the VM moves
    api.refused(
        org.springframework.http.HttpMethod.POST,
        "/api/v1/vms/" + vm + "/nics",
        Map.of("type", "user"),
        409);
    api.client().delete().uri("/api/v1/operations/{id}", id).exchange().expectStatus().isAccepted();
    Map<String, Object> cancelled = api.await(op);
    assertThat(cancelled.get("phase")).as("%s", cancelled).isEqualTo("CANCELLED");
    Map<String, Object> view = api.get("/api/v1/vms/" + vm);
    assertThat(view.get("host")).isEqualTo(PARALLEL);
    assertThat(view.get("state")).isEqualTo("RUNNING");

    // cancelled as soon as it runs, possibly before libvirt has started the job
    Map<String, Object> early =
        migrate(vm, Map.of("destination", SPARE, "unsafe", true, "bandwidthMiBps", 1));
    api.awaitPhase(early.get("id").toString(), "RUNNING");
    api.client()
        .delete()
        .uri("/api/v1/operations/{id}", early.get("id"))
        .exchange()
        .expectStatus()
        .isAccepted();
    assertThat(api.await(early).get("phase")).isEqualTo("CANCELLED");
    assertThat(api.get("/api/v1/vms/" + vm).get("host")).isEqualTo(PARALLEL);

    Map<String, Object> timedOut =
        api.await(
            migrate(
                vm,
                Map.of(
                    "destination",
                    SPARE,
                    "unsafe",
                    true,
                    "bandwidthMiBps",
                    1,
                    "timeoutSeconds",
                    2)));
    assertThat(timedOut.get("phase")).as("%s", timedOut).isEqualTo("FAILED");
    assertThat(at(timedOut, "error", "status").toString()).isEqualTo("504");
    assertThat(api.get("/api/v1/vms/" + vm).get("host")).isEqualTo(PARALLEL);

    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }

  @Test
  void crossingMigrationsBothFinish() {
    String x = deployRunning("it-cross-x", PARALLEL);
    String y = deployRunning("it-cross-y", SPARE);
    Map<String, Object> xy =
        migrate(x, Map.of("destination", SPARE, "unsafe", true, "tunnelled", true));
    Map<String, Object> yx = migrate(y, Map.of("destination", PARALLEL, "unsafe", true));
    Map<String, Object> first = api.succeeded(xy);
    Map<String, Object> second = api.succeeded(yx);
    // both hold the lane of it-c, a single-action host: they ran one after the other
    java.time.Instant firstEnd = java.time.Instant.parse(first.get("finishedAt").toString());
    java.time.Instant secondStart = java.time.Instant.parse(second.get("startedAt").toString());
    java.time.Instant secondEnd = java.time.Instant.parse(second.get("finishedAt").toString());
    java.time.Instant firstStart = java.time.Instant.parse(first.get("startedAt").toString());
    assertThat(!secondStart.isBefore(firstEnd) || !firstStart.isBefore(secondEnd))
        .as("%s and %s overlap", first, second)
        .isTrue();
    assertThat(api.get("/api/v1/vms/" + x).get("host")).isEqualTo(SPARE);
    assertThat(api.get("/api/v1/vms/" + y).get("host")).isEqualTo(PARALLEL);
    for (String vm : List.of(x, y)) {
      api.succeeded(api.action(vm, "cancel"));
      api.remove(vm);
    }
  }

  @Test
  void coldMigrationMovesAShutOffVmsDefinition() {
    String vm = deployRunning("it-mig-cold", PARALLEL);
    api.succeeded(api.action(vm, "cancel"));
    refuse(vm, Map.of("destination", SPARE), 409);
    Map<String, Object> moved =
        api.succeeded(migrate(vm, Map.of("destination", SPARE, "live", false)));
    assertThat(at(moved, "result", "state").toString()).isEqualTo("SHUTOFF");
    Map<String, Object> view = api.get("/api/v1/vms/" + vm);
    assertThat(view.get("host")).isEqualTo(SPARE);
    assertThat(view.get("persistent")).isEqualTo(true);
    assertThat(at(api.succeeded(api.action(vm, "start")), "result", "host").toString())
        .isEqualTo(SPARE);
    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }

  @Test
  void aTimeoutWithPauseLetsTheMigrationConvergeAndResumesOnTheDestination() {
    String vm = deployRunning("it-mig-pause", PARALLEL);
    Map<String, Object> done =
        api.succeeded(
            migrate(
                vm,
                Map.of(
                    "destination",
                    SPARE,
                    "unsafe",
                    true,
                    "bandwidthMiBps",
                    4,
                    "timeoutSeconds",
                    1,
                    "onTimeout",
                    "pause")));
    assertThat((Object) at(done, "result", "pausedOnTimeout")).isEqualTo(true);
    Map<String, Object> view = api.get("/api/v1/vms/" + vm);
    assertThat(view.get("host")).isEqualTo(SPARE);
    assertThat(view.get("state")).isEqualTo("RUNNING");
    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }

  @Test
  void copyStorageMovesTheDiskToAnotherPathOnTheDestination() {
    String vm = deployRunning("it-mig-copy", PARALLEL);
    String moved = Guests.rawDisk("it-mig-copy-moved.raw", 16).toString();
    Map<String, Object> done =
        api.succeeded(
            migrate(
                vm,
                Map.of(
                    "destination",
                    SPARE,
                    "copyStorage",
                    "all",
                    "diskPaths",
                    Map.of("vda", moved))));
    assertThat(at(done, "result", "destination").toString()).isEqualTo(SPARE);
    Map<String, Object> view = api.get("/api/v1/vms/" + vm);
    assertThat(view.get("host")).isEqualTo(SPARE);
    assertThat(view.get("disks").toString()).contains(moved);
    Guests.awaitHeartbeatAfter(vm, Guests.heartbeat(vm));
    refuse(vm, Map.of("destination", PARALLEL, "diskPaths", Map.of("vda", moved)), 422);
    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }

  @Test
  void aSavedVmMovesColdAndIsRestoredOnTheDestination() {
    String vm = deployRunning("it-mig-saved", PARALLEL);
    assertThat(at(api.succeeded(api.action(vm, "save")), "result", "state").toString())
        .isEqualTo("SHUTOFF");
    api.succeeded(migrate(vm, Map.of("destination", SPARE, "live", false)));
    Map<String, Object> restored = api.succeeded(api.action(vm, "restore"));
    assertThat(at(restored, "result", "host").toString()).isEqualTo(SPARE);
    assertThat(at(restored, "result", "state").toString()).isEqualTo("RUNNING");
    Guests.awaitHeartbeatAfter(vm, Guests.heartbeat(vm));
    api.succeeded(api.action(vm, "cancel"));
    api.remove(vm);
  }
}
