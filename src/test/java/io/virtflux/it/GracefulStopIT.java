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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.testcontainers.containers.GenericContainer;

/**
 * The service gets SIGTERM while a live migration (throttled, so that it runs for a while) moves a
 * guest between two real lab hosts, and a host sync and a deploy wait behind it in the source's
 * lane. While it stops, readiness is down and a submission is refused with 503 and Retry-After; the
 * migration ends SUCCEEDED before the process exits, with its events delivered and the event stream
 * closed, not cut; the queued operations are neither started nor cancelled, and run once the
 * service is started again; an event stream resumed there with Last-Event-ID shows every event
 * once, none with a reused id.
 *
 * <p>The service runs as its own process (the packaged jar), since only a process gets a real
 * SIGTERM.
 */
class GracefulStopIT {

  private static final LabHost SOURCE = Lab.host(7);
  private static final LabHost DESTINATION = Lab.host(8);
  private static final String VM = "it-drain-mig";

  @TempDir Path dir;

  GenericContainer<?> source;
  GenericContainer<?> destination;
  ServiceProcess service;

  @BeforeEach
  void start() {
    source = Lab.startOwn(SOURCE);
    destination = Lab.startOwn(DESTINATION);
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.kill();
    }
    if (source != null) {
      source.stop();
    }
    if (destination != null) {
      destination.stop();
    }
  }

  @Test
  void aStoppingServiceFinishesTheRunningMigrationAndLeavesTheQueuedForTheNextStart()
      throws Exception {
    int port = ServiceProcess.freePort();
    service = launch(port, "first");
    Api api = service.api();
    api.succeeded(api.deploy(SOURCE.name(), Guests.template(VM, 1)));
    Guests.awaitConsole(VM, "LABGUEST: READY", Duration.ofSeconds(120));

    // the prober staggers its first probes over the hosts: a destination not probed yet is refused
    awaitOnline(api, DESTINATION.name());
    FollowedEvents before = FollowedEvents.follow(api, SOURCE.name(), null);
    Instant migrationAsked = Instant.now();
    Map<String, Object> migration =
        api.submit(
            "/api/v1/vms/" + VM + "/migrations",
            Map.of("destination", DESTINATION.name(), "unsafe", true, "bandwidthMiBps", BANDWIDTH));
    awaitProgress(api, id(migration));
    // the source's lane (one action at a time) is taken by the migration: these wait
    Map<String, Object> queuedSync = api.submit("/api/v1/hosts/" + SOURCE.name() + "/sync", null);
    Map<String, Object> queuedDeploy =
        api.deploy(SOURCE.name(), Guests.template("it-drain-queued", 0.5));
    List<String> queued = List.of(id(queuedSync), id(queuedDeploy));
    for (String id : queued) {
      assertThat(api.get("/api/v1/operations/" + id).get("phase")).isEqualTo("QUEUED");
    }
    List<String> ids = List.of(id(migration), id(queuedSync), id(queuedDeploy));
    before.awaitDelivered(ids, "QUEUED");

    System.out.printf(
        "GracefulStopIT: SIGTERM at %s, the migration's progress: %s%n",
        Instant.now(), api.get("/api/v1/operations/" + id(migration)).get("progress"));
    service.terminate(); // SIGTERM
    // the service still answers while it drains: not ready, and no new work
    awaitReadiness(api, 503);
    api.client()
        .post()
        .uri("/api/v1/hosts/{h}/sync", SOURCE.name())
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectHeader()
        .exists(HttpHeaders.RETRY_AFTER)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("urn:virtflux:problem:shutting-down");
    assertThat(api.get("/api/v1/operations/" + id(migration)).get("phase"))
        .as("the migration still runs while the 503 goes out")
        .isEqualTo("RUNNING");

    int exit = service.awaitExit(Duration.ofSeconds(180));
    Instant exited = Instant.now();
    System.out.printf(
        "GracefulStopIT: the migration was asked for at %s, the service exited at %s%n",
        migrationAsked, exited);
    assertThat(exit).as("exit after SIGTERM: %s", service.tail()).isEqualTo(143);
    assertThat(service.output()).contains("stopping: every running operation ended");
    assertThat(before.completed())
        .as("the event stream was closed by the service, not cut: %s", before.error())
        .isTrue();
    assertThat(before.events())
        .filteredOn(e -> id(migration).equals(e.data().get("id")))
        .extracting(e -> e.data().get("phase"))
        .as("delivered before the exit")
        .contains("SUCCEEDED");
    assertThat(Virsh.run(DESTINATION, "list", "--name")).contains(VM);
    assertThat(Virsh.run(SOURCE, "list", "--name")).doesNotContain(VM);

    service = launch(port, "second");
    api = service.api();

    Map<String, Object> migrated = api.get("/api/v1/operations/" + id(migration));
    assertThat(migrated.get("phase")).as("%s", migrated).isEqualTo("SUCCEEDED");
    assertThat(Api.<Object>at(migrated, "result", "reconciledAfterRestart"))
        .as("ended by the first process, not reconciled by the second")
        .isNull();
    assertThat(Instant.parse(String.valueOf(migrated.get("finishedAt")))).isBefore(exited);
    for (String id : queued) {
      Map<String, Object> done = api.succeeded(Map.of("id", id));
      assertThat(Instant.parse(String.valueOf(done.get("startedAt"))))
          .as("%s started by the second process", done)
          .isAfter(exited);
    }
    assertThat(Virsh.run(SOURCE, "list", "--name")).contains("it-drain-queued");

    FollowedEvents after = FollowedEvents.follow(api, SOURCE.name(), before.lastId());
    // the migration's end came on the first stream; the queued ones end on this one
    after.awaitEnded(queued);
    after.stop();
    FollowedEvents.assertSameAsTheJournal(api, ids, before, after);
    for (String id : queued) {
      assertThat(api.events(id))
          .filteredOn(e -> e.data() != null)
          .extracting(e -> e.data().get("phase"))
          .as("neither started nor cancelled by the stop")
          .containsExactly("QUEUED", "RUNNING", "SUCCEEDED");
    }
  }

  /**
   * The migration's cap: the lab guest's 192 MiB take at least some seconds at this rate (at 2
   * MiB/s it outlasted a 60 s drain), time enough to stop the service while it runs.
   */
  private static final int BANDWIDTH = 8;

  private static void awaitProgress(Api api, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Map<String, Object> op = api.get("/api/v1/operations/" + id);
      assertThat(op.get("phase")).as("%s", op).isIn("QUEUED", "RUNNING");
      if (op.get("progress") != null) {
        return;
      }
      assertThat(System.nanoTime()).as("progress of %s", op).isLessThan(deadline);
      Guests.sleep(100);
    }
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

  private static void awaitReadiness(Api api, int status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (api.client()
            .get()
            .uri("/actuator/health/readiness")
            .exchange()
            .returnResult(String.class)
            .getStatus()
            .value()
        != status) {
      assertThat(System.nanoTime()).as("readiness %s", status).isLessThan(deadline);
      Guests.sleep(50);
    }
  }

  private ServiceProcess launch(int port, String run) throws IOException, InterruptedException {
    return ServiceProcess.start(
        "graceful-stop-it-" + run,
        port,
        dir.resolve("journal"),
        List.of(
            "--virtflux.hosts[0].name=" + SOURCE.name(),
            "--virtflux.hosts[0].uri=" + SOURCE.uri(),
            "--virtflux.hosts[1].name=" + DESTINATION.name(),
            "--virtflux.hosts[1].uri=" + DESTINATION.uri(),
            // twice the default: on this shared machine the throttled migration took from 13 to
            // 33 s; the test is about what the drain does, not how long it waits
            "--virtflux.shutdown.drain-timeout=120s"));
  }

  private static String id(Map<String, Object> op) {
    return String.valueOf(op.get("id"));
  }
}
