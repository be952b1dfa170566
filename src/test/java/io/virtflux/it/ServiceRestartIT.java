package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Guests;
import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import io.virtflux.lab.TestTokens;
import io.virtflux.lab.Virsh;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.containers.GenericContainer;
import reactor.core.Disposable;

/**
 * The service is killed (SIGKILL) with operations running and queued, and started again on the same
 * journal: every accepted operation is still there and ends; a RUNNING one is reconciled against
 * libvirt (a shutdown whose domain went off meanwhile SUCCEEDED, one whose domain still runs FAILED
 * with what the host showed); a QUEUED one runs on the new process, under its own id, with the
 * inputs it was accepted with (a host sync, a deploy whose domain then runs, a NIC attach, a
 * suspend, a removal); an event stream resumed with Last-Event-ID on the new process, after the one
 * the old process delivered, misses no event of them. (The other way of {@code
 * virtflux.operations.on-restart.queued}, cancel, and operations that kept nothing to run with, are
 * in QueuedReplaysTest.)
 *
 * <p>The service runs as its own process here (the packaged jar), since only a process can be
 * killed for real.
 */
class ServiceRestartIT {

  private static final LabHost HOST = Lab.host(5);

  @TempDir Path dir;

  GenericContainer<?> host;
  Process service;

  @BeforeEach
  void start() {
    host = Lab.startOwn(HOST);
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.destroyForcibly();
    }
    if (host != null) {
      host.stop();
    }
  }

  @Test
  void operationsLeftByAKilledServiceAreReconciledOrRunAndNoEventIsMissed() throws Exception {
    int port = freePort();
    service = launch(port, "first");
    Api api = api(port);

    // two guests that ignore the power button (acpi=off): their shutdowns run until SIGKILL
    List<String> vms = List.of("it-restart-off", "it-restart-on");
    for (String vm : vms) {
      api.succeeded(api.deploy(HOST.name(), Guests.ignoringAcpi(vm, 0.5)));
    }

    List<ServerSentEvent<Map<String, Object>>> before = new CopyOnWriteArrayList<>();
    // this client's stream is cut by the kill, as a real one would be
    follow(api, null, before);

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
    awaitDelivered(before, ids, "QUEUED");

    service.destroyForcibly(); // SIGKILL
    assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(service.exitValue()).isEqualTo(137);
    // while the service is dead, one of the guests goes off after all
    Virsh.run(HOST, "destroy", vms.get(0));

    service = launch(port, "second");
    api = api(port);

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
    String lastSeen = before.get(before.size() - 1).id();
    List<ServerSentEvent<Map<String, Object>>> after = new CopyOnWriteArrayList<>();
    Disposable secondStream = follow(api, lastSeen, after);
    awaitEnded(after, ids);
    secondStream.dispose();

    List<ServerSentEvent<Map<String, Object>>> all = new ArrayList<>(before);
    all.addAll(after);
    List<Long> seqs = all.stream().map(e -> Long.parseLong(e.id())).toList();
    assertThat(seqs).as("ids grow, none twice").isSorted().doesNotHaveDuplicates();
    for (String id : ids) {
      List<String> journaled =
          api.events(id).stream()
              .filter(e -> e.data() != null)
              .map(e -> e.id() + ":" + e.data().get("phase"))
              .toList();
      List<String> streamed =
          all.stream()
              .filter(e -> id.equals(e.data().get("id")))
              .map(e -> e.id() + ":" + e.data().get("phase"))
              .toList();
      assertThat(streamed).as("operation %s across the restart", id).isEqualTo(journaled);
    }
  }

  /** Streams this host's operation events into {@code into} (from after {@code lastEventId}). */
  private static Disposable follow(
      Api api, String lastEventId, List<ServerSentEvent<Map<String, Object>>> into) {
    String uri =
        "/api/v1/events?type=operation&host="
            + HOST.name()
            + (lastEventId == null ? "" : "&lastEventId=" + lastEventId);
    return api.stream(uri)
        .filter(e -> "operation".equals(e.event()) && e.data() != null)
        .subscribe(into::add, e -> {});
  }

  private static void awaitDelivered(
      List<ServerSentEvent<Map<String, Object>>> events, List<String> ids, String phase) {
    await(events, ids, List.of(phase), "delivered " + phase);
  }

  private static void awaitEnded(
      List<ServerSentEvent<Map<String, Object>>> events, List<String> ids) {
    await(events, ids, List.of("SUCCEEDED", "FAILED", "CANCELLED"), "ended");
  }

  private static void await(
      List<ServerSentEvent<Map<String, Object>>> events,
      List<String> ids,
      List<String> phases,
      String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Map<String, Boolean> seen = new HashMap<>();
      for (ServerSentEvent<Map<String, Object>> e : events) {
        if (phases.contains(String.valueOf(e.data().get("phase")))) {
          seen.put(String.valueOf(e.data().get("id")), true);
        }
      }
      if (seen.keySet().containsAll(ids)) {
        return;
      }
      assertThat(System.nanoTime()).as("%s: %s of %s", what, seen, ids).isLessThan(deadline);
      Guests.sleep(100);
    }
  }

  private Process launch(int port, String run) throws IOException, InterruptedException {
    Path log = Path.of("target", "service-restart-it-" + run + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dreactor.netty.native=false"); // as the test JVMs (see pom.xml)
    command.add("-jar");
    command.add(Path.of("target", "virtflux.jar").toString());
    command.add("--server.address=127.0.0.1");
    command.add("--server.port=" + port);
    command.add("--virtflux.journal.path=" + dir.resolve("journal"));
    command.add("--virtflux.hosts[0].name=" + HOST.name());
    command.add("--virtflux.hosts[0].uri=" + HOST.uri());
    command.add("--virtflux.hosts[0].parallel-actions=true");
    command.add("--virtflux.hosts[0].max-actions=2");
    command.add("--virtflux.datastores=" + Lab.datastore() + "," + Lab.imagesDir());
    command.add("--virtflux.limits.submissions-per-second=1000");
    command.add("--virtflux.security.tokens[0].name=it-admin");
    command.add("--virtflux.security.tokens[0].role=ADMIN");
    command.add("--virtflux.security.tokens[0].sha256=" + TestTokens.sha256(Api.ADMIN_TOKEN));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    awaitReady(port, p, log);
    return p;
  }

  private static void awaitReady(int port, Process p, Path log)
      throws IOException, InterruptedException {
    WebTestClient probe = client(port);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new AssertionError("the service exited: " + tail(log));
      }
      try {
        int status =
            probe
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
        if (status == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the service did not get ready: " + tail(log));
      }
      Thread.sleep(250);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static Api api(int port) {
    return new Api(client(port));
  }

  private static WebTestClient client(int port) {
    return Api.clientFor("http://127.0.0.1:" + port)
        .mutate()
        .responseTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static String id(Map<String, Object> op) {
    return String.valueOf(op.get("id"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
