package io.virtflux.it;

import static io.virtflux.it.Api.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    register();
    String vm = "it-doomed";
    // the guest never hears the power button, so the shutdown waits until libvirtd dies
    Map<String, Object> template = Guests.ignoringAcpi(vm, 1);
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

  /**
   * 200 operations over two hosts; one host's libvirtd dies in the middle of them and comes back.
   * Every accepted operation ends (those that reached the dead host FAILED with "Host offline",
   * 503; once the service knows, new ones are refused with 503 at once), none stays QUEUED or
   * RUNNING, the other host's all succeed, and the host is used again within 10 s of its return.
   */
  @Test
  void operationsInFlightWhenLibvirtdDiesAllEndAndTheOtherHostNeverNotices() {
    register();
    // a VM on the doomed host to reset (a sync would succeed even offline: it reports the host's
    // state, as onehost sync does)
    String vm = "it-midstream";
    api.succeeded(api.deploy(DOOMED.name(), Guests.template(vm, 1)));
    // a dashboard watching the host: it goes OFFLINE, then ONLINE again
    java.util.concurrent.CompletableFuture<List<String>> states =
        api.hostStates(DOOMED.name(), "ONLINE");
    List<String> doomed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> other = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger refusedCount =
        new java.util.concurrent.atomic.AtomicInteger();
    // resets (repeatable on a running VM), 60 in a burst so that the doomed lane has a backlog
    java.util.stream.IntStream.range(0, 60)
        .parallel()
        .forEach(i -> submitted(submitOrRefused(reset(vm)), doomed, refusedCount));
    // the doomed host dies at once (SIGKILL) while submissions go on and its lane has work
    GenericContainer<?> dies = host;
    java.util.concurrent.CompletableFuture<Void> dying =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> dies.getDockerClient().killContainerCmd(dies.getContainerId()).exec());
    for (int i = 0; i < 100; i++) {
      if (i < 40) {
        submitted(submitOrRefused(reset(vm)), doomed, refusedCount);
      }
      other.add(String.valueOf(sync(SINGLE).get("id")));
    }
    int refused = refusedCount.get();
    dying.join();
    host.stop();
    awaitState("OFFLINE", Duration.ofSeconds(30));

    Map<String, Map<String, Object>> endings = awaitAllEnded(doomed, Duration.ofSeconds(120));
    long succeeded = 0;
    long offline = 0;
    for (Map<String, Object> op : endings.values()) {
      if ("SUCCEEDED".equals(op.get("phase"))) {
        succeeded++;
      } else {
        assertThat(op.get("phase")).as("%s", op).isEqualTo("FAILED");
        assertThat(at(op, "error", "status").toString()).as("%s", op).isEqualTo("503");
        assertThat(at(op, "error", "title").toString()).as("%s", op).isEqualTo("Host offline");
        offline++;
      }
    }
    assertThat(offline + refused).as("operations that met the dead host").isPositive();
    assertThat(succeeded + offline + refused).isEqualTo(100);
    Map<String, Map<String, Object>> others = awaitAllEnded(other, Duration.ofSeconds(120));
    assertThat(others.values())
        .allSatisfy(op -> assertThat(op.get("phase")).isEqualTo("SUCCEEDED"));

    host = Lab.startOwn(DOOMED);
    awaitState("ONLINE", Duration.ofSeconds(30));
    long back = System.nanoTime();
    assertThat(states.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join())
        .containsExactly("OFFLINE", "ONLINE");
    // the new daemon has no VM (its container is new): a host operation runs at once
    api.succeeded(sync(DOOMED.name()));
    assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofSeconds(10));
    System.out.printf(
        "libvirtd died mid-stream: 200 submitted; dead host: %d succeeded, %d failed offline,"
            + " %d refused at submission (503); other host: 100 of 100 succeeded; 0 lost%n",
        succeeded, offline, refused);

    api.client()
        .delete()
        .uri("/api/v1/hosts/{h}?force=true", DOOMED.name())
        .exchange()
        .expectStatus()
        .isNoContent();
  }

  private void register() {
    api.client()
        .post()
        .uri("/api/v1/hosts")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("name", DOOMED.name(), "uri", DOOMED.uri()))
        .exchange()
        .expectStatus()
        .isCreated();
  }

  private Map<String, Object> sync(String hostName) {
    return api.submit("/api/v1/hosts/" + hostName + "/sync", null);
  }

  private static String reset(String vm) {
    return "/api/v1/vms/" + vm + "/actions/reset";
  }

  private static void submitted(
      String id, List<String> accepted, java.util.concurrent.atomic.AtomicInteger refused) {
    if (id == null) {
      refused.incrementAndGet();
    } else {
      accepted.add(id);
    }
  }

  /** The operation's id, or null when the service refused it at once as the host is offline. */
  private String submitOrRefused(String path) {
    var result = api.client().post().uri(path).exchange().expectBody(Map.class).returnResult();
    Map<?, ?> body = result.getResponseBody();
    if (result.getStatus().value() != 202) {
      // the service already knows: refused at once, never accepted
      assertThat(result.getStatus().value()).as("%s", body).isIn(404, 503);
      return null;
    }
    assertThat(result.getStatus().value()).as("%s", body).isEqualTo(202);
    return String.valueOf(body.get("id"));
  }

  private Map<String, Map<String, Object>> awaitAllEnded(List<String> ids, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    Map<String, Map<String, Object>> endings = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      Map<String, Object> op;
      while (!List.of("SUCCEEDED", "FAILED", "CANCELLED")
          .contains((op = api.get("/api/v1/operations/" + id)).get("phase"))) {
        assertThat(System.nanoTime()).as("operation %s ends: %s", id, op).isLessThan(deadline);
        Guests.sleep(100);
      }
      endings.put(id, op);
    }
    return endings;
  }

  private void awaitState(String state, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    Map<String, Object> h;
    while (!state.equals((h = api.get("/api/v1/hosts/" + DOOMED.name())).get("state"))) {
      assertThat(System.nanoTime()).as("host %s: %s", state, h).isLessThan(deadline);
      Guests.sleep(250);
    }
  }
}
