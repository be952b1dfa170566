package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.Virsh;
import io.virtflux.operation.OperationKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.testcontainers.containers.GenericContainer;

/**
 * The service is killed (SIGKILL) with operations running and queued, and started again on the same
 * journal: every accepted operation is still there and ends; a RUNNING one is reconciled against
 * libvirt (a shutdown whose domain went off meanwhile SUCCEEDED, one whose domain still runs FAILED
 * with what the host showed); a QUEUED one runs on the new process, under its own id, with the
 * inputs it was accepted with (a host sync, a deploy whose domain then runs, a NIC attach, a
 * suspend, a removal); an event stream resumed with Last-Event-ID on the new process, after the one
 * the old process delivered, misses no event of them.
 *
 * <p>Then every operation kind at once: one of each, queued in an order in which each is valid when
 * it runs (hotplug of each device kind, the nine lifecycle actions, an import of a domain defined
 * with virsh, a migration to a second host, a sync, a deploy, a removal) behind a shutdown holding
 * the lane's only slot, runs from the journal on the new process exactly once, one after the other:
 * its kind's own result (the attached disk's target, the NIC's MAC, the save file's path, the
 * migration's destination, the sync's changes, the import's imported, ...), its effect on the host
 * once (one disk at the target, one NIC, the media changed, the guest moved), and one RUNNING and
 * one terminal event. (The other way of {@code virtflux.operations.on-restart.queued}, cancel, and
 * operations that kept nothing to run with, are in JournaledCommandsTest.)
 *
 * <p>The service runs as its own process here (the packaged jar), since only a process can be
 * killed for real.
 */
class ServiceRestartIT {

  private static final LabHost HOST = Lab.host(5);
  private static final LabHost DESTINATION = Lab.host(6);

  @TempDir Path dir;

  GenericContainer<?> host;
  GenericContainer<?> destination;
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
    if (destination != null) {
      destination.stop();
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
    List<Map<String, Object>> done = new ArrayList<>();
    for (Map<String, Object> op : queued) {
      Map<String, Object> ended = api.succeeded(op);
      done.add(ended);
      started.add(Instant.parse(String.valueOf(ended.get("startedAt"))));
    }
    assertThat(started).as("started in the order they were queued").isSorted();
    // each with its kind's typed result
    assertThat(done)
        .extracting(op -> op.get("kind"))
        .containsExactly("HOST_SYNC", "DEPLOY", "ATTACH_NIC", "SUSPEND", "DESTROY");
    assertThat(Api.<Object>at(done.get(0), "result", "changes")).isInstanceOf(List.class);
    assertThat(Api.<Object>at(done.get(1), "result", "domainType")).isEqualTo(Lab.virtType());
    String mac = Api.at(done.get(2), "result", "mac");
    assertThat(mac).startsWith("52:54:00:");
    assertThat(Api.<Object>at(done.get(3), "result", "state")).isEqualTo("PAUSED");
    assertThat(Api.<Object>at(done.get(4), "result", "removed")).isEqualTo(true);
    assertThat(Virsh.run(HOST, "list", "--name")).contains("it-restart-queued");
    assertThat(Virsh.run(HOST, "domstate", vms.get(1))).contains("paused");
    assertThat(Virsh.run(HOST, "domiflist", vms.get(1)).lines().filter(l -> l.contains("user")))
        .as("the NIC attached after the restart, once")
        .hasSize(2);
    assertThat(Virsh.run(HOST, "domiflist", vms.get(1))).containsOnlyOnce(mac);
    assertThat(Virsh.run(HOST, "list", "--all", "--name")).doesNotContain(vms.get(0));

    // resume the stream where the old process left it
    FollowedEvents after = FollowedEvents.follow(api, HOST.name(), before.lastId());
    after.awaitEnded(ids);
    after.stop();
    FollowedEvents.assertSameAsTheJournal(api, ids, before, after);
  }

  /**
   * Every kind of operation, left QUEUED by a killed service behind a shutdown that holds the
   * host's only slot, runs from the journal on the next process: once each, in the order accepted
   * (the lane runs one at a time, so each starts after the one before ended), with its kind's
   * result.
   */
  @Test
  void everyKindLeftQueuedRunsOnceFromTheJournalWithItsResult() throws Exception {
    destination = Lab.startOwn(DESTINATION);
    int port = ServiceProcess.freePort();
    List<String> settings =
        List.of(
            "--virtflux.hosts[0].name=" + HOST.name(),
            "--virtflux.hosts[0].uri=" + HOST.uri(),
            "--virtflux.hosts[0].max-actions=1",
            "--virtflux.hosts[1].name=" + DESTINATION.name(),
            "--virtflux.hosts[1].uri=" + DESTINATION.uri());
    service = launch(port, "every-kind-first", settings);
    Api api = service.api();

    String blocker = "it-every-blocker";
    String vm = "it-every-life";
    String mover = "it-every-mover";
    String wild = "it-every-wild";
    String iso = Guests.rawDisk(vm + "-iso1.raw", 8).toString();
    String otherIso = Guests.rawDisk(vm + "-iso2.raw", 8).toString();
    String vdb = Guests.rawDisk(vm + "-b.raw", 8).toString();
    String vdc = Guests.rawDisk(vm + "-c.raw", 8).toString();
    Map<String, Object> template = new LinkedHashMap<>(Guests.template(vm, 0.5));
    List<Object> disks = new ArrayList<>((List<?>) template.get("disks"));
    disks.add(Map.of("source", vdb, "driver", "raw", "devPrefix", "vd"));
    disks.add(Map.of("source", iso, "type", "cdrom"));
    template.put("disks", disks);
    List<Map<String, Object>> deploys =
        List.of(
            api.deploy(HOST.name(), Guests.ignoringAcpi(blocker, 0.5)),
            api.deploy(HOST.name(), template),
            api.deploy(HOST.name(), Guests.template(mover, 0.5)));
    deploys.forEach(api::succeeded);
    defineAndStartBehindTheBack(api, wild);
    Guests.awaitConsole(vm, "LABGUEST: READY", Duration.ofSeconds(120));
    Guests.awaitConsole(mover, "LABGUEST: READY", Duration.ofSeconds(120));
    Guests.awaitDevice(vm, "vdb", true);
    assertThat(api.get("/api/v1/vms/" + wild).get("managed")).isEqualTo(false);
    awaitOnline(api, DESTINATION.name());
    List<Map<String, Object>> nics = Api.at(api.get("/api/v1/vms/" + vm), "nics");
    assertThat(nics).hasSize(1);
    String firstMac = String.valueOf(nics.get(0).get("mac"));
    String newMac = "52:54:00:7e:57:0a";

    FollowedEvents before = FollowedEvents.follow(api, HOST.name(), null);
    Map<String, Object> holding = api.action(blocker, "shutdown");
    api.awaitPhase(id(holding), "RUNNING");
    // the lane (1 action) is taken: every one of these waits, in this order, each valid when the
    // ones before it have run
    String at = "/api/v1/vms/" + vm;
    Map<String, Map<String, Object>> queued = new LinkedHashMap<>();
    queued.put("ATTACH_DISK", api.submit(at + "/disks", Map.of("source", vdc, "target", "vdc")));
    queued.put("DETACH_DISK", api.accepted(HttpMethod.DELETE, at + "/disks/vdb", null));
    queued.put(
        "CHANGE_MEDIA",
        api.accepted(HttpMethod.PUT, at + "/disks/sda/media", Map.of("source", otherIso)));
    queued.put("ATTACH_NIC", api.submit(at + "/nics", Map.of("type", "user", "mac", newMac)));
    queued.put("DETACH_NIC", api.accepted(HttpMethod.DELETE, at + "/nics/" + firstMac, null));
    for (String action :
        List.of(
            "suspend",
            "resume",
            "save",
            "restore",
            "shutdown",
            "start",
            "reboot",
            "reset",
            "cancel")) {
      queued.put(action.toUpperCase(java.util.Locale.ROOT), api.action(vm, action));
    }
    queued.put("IMPORT", api.submit("/api/v1/vms/" + wild + "/import", null));
    queued.put(
        "MIGRATE",
        api.submit(
            "/api/v1/vms/" + mover + "/migrations",
            Map.of("destination", DESTINATION.name(), "unsafe", true)));
    queued.put("HOST_SYNC", api.submit("/api/v1/hosts/" + HOST.name() + "/sync", null));
    queued.put("DEPLOY", api.deploy(HOST.name(), Guests.template("it-every-late", 0.5)));
    queued.put("DESTROY", api.accepted(HttpMethod.DELETE, "/api/v1/vms/" + blocker, null));
    assertThat(queued.keySet())
        .as("every kind")
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(OperationKind.values()).map(Enum::name).toArray(String[]::new));
    for (Map.Entry<String, Map<String, Object>> e : queued.entrySet()) {
      Map<String, Object> now = api.get("/api/v1/operations/" + id(e.getValue()));
      assertThat(now.get("kind")).isEqualTo(e.getKey());
      assertThat(now.get("phase")).as("%s", now).isEqualTo("QUEUED");
    }
    List<String> ids = new ArrayList<>(List.of(id(holding)));
    queued.values().forEach(op -> ids.add(id(op)));
    before.awaitDelivered(ids, "QUEUED");

    service.kill(); // SIGKILL
    assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(137);
    Virsh.run(HOST, "destroy", blocker); // the holding shutdown's guest goes off meanwhile

    service = launch(port, "every-kind-second", settings);
    api = service.api();
    Map<String, Object> held = api.get("/api/v1/operations/" + id(holding));
    assertThat(held.get("phase")).as("%s", held).isEqualTo("SUCCEEDED");

    Map<String, Map<String, Object>> done = new LinkedHashMap<>();
    Instant previousEnd = Instant.parse(String.valueOf(held.get("finishedAt")));
    for (Map.Entry<String, Map<String, Object>> e : queued.entrySet()) {
      Map<String, Object> ended = api.succeeded(e.getValue());
      assertThat(ended.get("kind")).isEqualTo(e.getKey());
      assertThat(Instant.parse(String.valueOf(ended.get("startedAt"))))
          .as("%s started after the one before it ended", ended)
          .isAfterOrEqualTo(previousEnd);
      previousEnd = Instant.parse(String.valueOf(ended.get("finishedAt")));
      done.put(e.getKey(), ended);
    }

    // each kind's own result
    assertThat(result(done, "ATTACH_DISK", "target")).isEqualTo("vdc");
    assertThat(result(done, "DETACH_DISK", "target")).isEqualTo("vdb");
    assertThat(result(done, "DETACH_DISK", "removed")).isEqualTo(true);
    assertThat(result(done, "CHANGE_MEDIA", "media")).isEqualTo(otherIso);
    assertThat(result(done, "ATTACH_NIC", "mac")).isEqualTo(newMac);
    assertThat(result(done, "DETACH_NIC", "mac")).isEqualTo(firstMac);
    assertThat(result(done, "DETACH_NIC", "removed")).isEqualTo(true);
    Map<String, String> states =
        Map.of(
            "SUSPEND", "PAUSED",
            "RESUME", "RUNNING",
            "SAVE", "SHUTOFF",
            "RESTORE", "RUNNING",
            "SHUTDOWN", "SHUTOFF",
            "START", "RUNNING",
            "REBOOT", "RUNNING",
            "RESET", "RUNNING",
            "CANCEL", "SHUTOFF");
    states.forEach(
        (kind, state) -> assertThat(result(done, kind, "state")).as(kind).isEqualTo(state));
    assertThat(result(done, "SAVE", "path").toString()).endsWith(vm + ".save");
    assertThat(result(done, "RESTORE", "path")).isEqualTo(result(done, "SAVE", "path"));
    assertThat(result(done, "SHUTDOWN", "action")).isEqualTo("acpi shutdown");
    assertThat(states.keySet().stream().map(kind -> result(done, kind, "action")).distinct())
        .as("each lifecycle action is its own")
        .hasSize(states.size());
    assertThat(result(done, "IMPORT", "imported")).isEqualTo(true);
    assertThat(result(done, "MIGRATE", "destination")).isEqualTo(DESTINATION.name());
    assertThat(result(done, "HOST_SYNC", "changes")).isInstanceOf(List.class);
    assertThat(result(done, "DEPLOY", "vm")).isEqualTo("it-every-late");
    assertThat(result(done, "DESTROY", "removed")).isEqualTo(true);

    // and on the hosts, each done once
    String config = api.domainXml(vm, true);
    assertThat(config).containsOnlyOnce("dev='vdc'").doesNotContain("dev='vdb'", vdb);
    assertThat(config).containsOnlyOnce(otherIso).doesNotContain(iso);
    assertThat(config).containsOnlyOnce(newMac).doesNotContain(firstMac);
    assertThat(config.split("<interface ", -1)).as("one NIC").hasSize(2);
    assertThat(Virsh.run(HOST, "domstate", vm)).contains("shut off");
    assertThat(api.get("/api/v1/vms/" + wild).get("managed")).isEqualTo(true);
    assertThat(Virsh.run(DESTINATION, "list", "--name")).contains(mover);
    assertThat(Virsh.run(HOST, "list", "--all", "--name"))
        .doesNotContain(mover, blocker)
        .contains("it-every-late");

    FollowedEvents after = FollowedEvents.follow(api, HOST.name(), before.lastId());
    after.awaitEnded(ids);
    after.stop();
    FollowedEvents.assertSameAsTheJournal(api, ids, before, after);
  }

  private static Object result(Map<String, Map<String, Object>> done, String kind, String field) {
    return Api.at(done.get(kind), "result", field);
  }

  /** The lab guest's domain XML as the service would define it, defined and started by virsh. */
  private static void defineAndStartBehindTheBack(Api api, String vm) throws IOException {
    String xml =
        api.client()
            .post()
            .uri("/api/v1/vms:render")
            .contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("host", HOST.name(), "template", Guests.template(vm, 0.5)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    Path file = Files.createTempFile("virtflux-wild", ".xml");
    Files.writeString(file, xml);
    Virsh.run(HOST, "define", file.toString());
    Virsh.run(HOST, "start", vm);
    Files.delete(file);
  }

  private static void awaitOnline(Api api, String host) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Map<String, Object> h = api.get("/api/v1/hosts/" + host);
      if ("ONLINE".equals(h.get("state"))) {
        return;
      }
      assertThat(System.nanoTime()).as("host %s online: %s", host, h).isLessThan(deadline);
      Guests.sleep(250);
    }
  }

  private ServiceProcess launch(int port, String run) throws IOException, InterruptedException {
    return launch(
        port,
        run,
        List.of(
            "--virtflux.hosts[0].name=" + HOST.name(),
            "--virtflux.hosts[0].uri=" + HOST.uri(),
            "--virtflux.hosts[0].parallel-actions=true",
            "--virtflux.hosts[0].max-actions=2"));
  }

  private ServiceProcess launch(int port, String run, List<String> settings)
      throws IOException, InterruptedException {
    return ServiceProcess.start(
        "service-restart-it-" + run, port, dir.resolve("journal"), settings);
  }

  private static String id(Map<String, Object> op) {
    return String.valueOf(op.get("id"));
  }
}
