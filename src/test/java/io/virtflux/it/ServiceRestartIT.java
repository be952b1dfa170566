package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.Virsh;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpMethod;
import org.testcontainers.containers.GenericContainer;

/**
 * The service is killed (SIGKILL) with operations running and queued, and started again on the same
 * journal: every accepted operation is still there and ends; a RUNNING one is reconciled against
 * libvirt (a shutdown whose domain went off meanwhile SUCCEEDED, one whose domain still runs FAILED
 * with what the host showed); a QUEUED one runs on the new process, under its own id, with the
 * inputs it was accepted with (a host sync, a deploy whose domain then runs, a NIC attach, a
 * suspend, a removal); an event stream resumed with Last-Event-ID on the new process, after the one
 * the old process delivered, misses no event of them. (The other way of {@code
 * virtflux.operations.on-restart.queued}, cancel, and operations that kept nothing to run with, are
 * in JournaledCommandsTest.)
 *
 * <p>The service runs as its own process here (the packaged jar), since only a process can be
 * killed for real.
 */
class ServiceRestartIT {

  private static final LabHost HOST = Lab.host(5);

  @TempDir Path dir;

  GenericContainer<?> host;
  ServiceProcess service;

  @BeforeEach
  void start() {
    host = Lab.startOwn(HOST);
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.kill();
    }
    if (host != null) {
      host.stop();
    }
  }

  @Test
  void operationsLeftByAKilledServiceAreReconciledOrRunAndNoEventIsMissed() throws Exception {
    int port = ServiceProcess.freePort();
    service = launch(port, "first");
    Api api = service.api();

    // two guests that ignore the power button (acpi=off): their shutdowns run until SIGKILL
    List<String> vms = List.of("it-restart-off", "it-restart-on");
    for (String vm : vms) {
      api.succeeded(api.deploy(HOST.name(), Guests.ignoringAcpi(vm, 0.5)));
    }

    // this client's stream is cut by the kill, as a real one would be
    FollowedEvents before = FollowedEvents.follow(api, HOST.name(), null);

    Map<String, Object> shutOff = api.action(vms.get(0), "shutdown");
    Map<String, Object> stillOn = api.action(vms.get(1), "shutdown");
    api.awaitPhase(id(shutOff), "RUNNING");
    api.awaitPhase(id(stillOn), "RUNNING");
    // the lane (2 actions) is full: these wait
    Map<String, Object> queuedSync = api.submit("/api/v1/hosts/" + HOST.name() + "/sync", null);
    Map<String, Object> queuedDeploy =
        api.deploy(HOST.name(), Guests.ignoringAcpi("it-restart-queued", 0.5));
    // one of each other feature that keeps its request: hotplug, a lifecycle action, a removal
    Map<String, Object> queuedNic =
        api.submit("/api/v1/vms/" + vms.get(1) + "/nics", Map.of("type", "user"));
    Map<String, Object> queuedSuspend = api.action(vms.get(1), "suspend");
    Map<String, Object> queuedRemove =
        api.accepted(HttpMethod.DELETE, "/api/v1/vms/" + vms.get(0), null);
    List<Map<String, Object>> queued =
        List.of(queuedSync, queuedDeploy, queuedNic, queuedSuspend, queuedRemove);
    for (Map<String, Object> op : queued) {
      Map<String, Object> now = api.get("/api/v1/operations/" + id(op));
      assertThat(now.get("phase"))
          .as(
              "%s, behind %s and %s",
              now,
              api.get("/api/v1/operations/" + id(shutOff)),
              api.get("/api/v1/operations/" + id(stillOn)))
          .isEqualTo("QUEUED");
    }
    List<String> ids = new ArrayList<>(List.of(id(shutOff), id(stillOn)));
    queued.forEach(op -> ids.add(id(op)));
    before.awaitDelivered(ids, "QUEUED");

    service.kill(); // SIGKILL
    assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(137);
    // while the service is dead, one of the guests goes off after all
    Virsh.run(HOST, "destroy", vms.get(0));

    service = launch(port, "second");
    api = service.api();

    Map<String, Object> off = api.get("/api/v1/operations/" + id(shutOff));
    assertThat(off.get("phase")).as("%s", off).isEqualTo("SUCCEEDED");
    assertThat(Api.<Object>at(off, "result", "reconciledAfterRestart")).isNotNull();
    Map<String, Object> on = api.get("/api/v1/operations/" + id(stillOn));
    assertThat(on.get("phase")).as("%s", on).isEqualTo("FAILED");
    assertThat(Api.<Object>at(on, "error", "title")).isEqualTo("Service restarted");
    assertThat(Api.<Object>at(on, "error", "detail").toString()).contains("on its host");
    // the queued ones run now, under their own ids, in the order they were accepted
    List<Instant> started = new ArrayList<>();
    for (Map<String, Object> op : queued) {
      Map<String, Object> done = api.succeeded(op);
      started.add(Instant.parse(String.valueOf(done.get("startedAt"))));
    }
    assertThat(started).as("started in the order they were queued").isSorted();
    assertThat(Virsh.run(HOST, "list", "--name")).contains("it-restart-queued");
    assertThat(Virsh.run(HOST, "domstate", vms.get(1))).contains("paused");
    assertThat(Virsh.run(HOST, "domiflist", vms.get(1)).lines().filter(l -> l.contains("user")))
        .as("the NIC attached after the restart")
        .hasSize(2);
    assertThat(Virsh.run(HOST, "list", "--all", "--name")).doesNotContain(vms.get(0));

    // resume the stream where the old process left it
    FollowedEvents after = FollowedEvents.follow(api, HOST.name(), before.lastId());
    after.awaitEnded(ids);
    after.stop();
    FollowedEvents.assertSameAsTheJournal(api, ids, before, after);
  }

  private ServiceProcess launch(int port, String run) throws IOException, InterruptedException {
    return ServiceProcess.start(
        "service-restart-it-" + run,
        port,
        dir.resolve("journal"),
        List.of(
            "--virtflux.hosts[0].name=" + HOST.name(),
            "--virtflux.hosts[0].uri=" + HOST.uri(),
            "--virtflux.hosts[0].parallel-actions=true",
            "--virtflux.hosts[0].max-actions=2"));
  }

  private static String id(Map<String, Object> op) {
    return String.valueOf(op.get("id"));
  }
}
