package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.Lab;
import io.virtflux.lab.LabHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.containers.GenericContainer;

/**
 * A lab libvirtd is frozen (SIGSTOP) and thawed (SIGCONT) over and over, for times on both sides of
 * libvirt's keepalive window (5 s x 3), while 8 operations at a time run on that host and reads
 * reach it too. The service (the packaged jar, under {@code -Xcheck:jni}, with core dumps on) must
 * never crash: the JVM is alive at the end, wrote no {@code hs_err} file and no core, and the host
 * works again after the last thaw.
 *
 * <p>This is the crash CVE-2024-4418 causes in libvirt clients before 10.4.0 (see LibvirtClient).
 * CI runs {@value #CI_CYCLES} cycles. The long run, and the run that shows this test catches the
 * crash (stock libvirt 9.0 client, one shared connection), are documented commands in the README
 * ("Reliability"):
 *
 * <pre>
 * -Dvirtflux.stress.cycles=50
 * -Dvirtflux.stress.connection-per-call=false -Dvirtflux.stress.libvirt=$VIRTFLUX_LAB_STOCK_LIBVIRT
 * </pre>
 */
class FreezeThawStressIT {

  static final int CI_CYCLES = 4;
  private static final int AT_ONCE = 8;
  // 127.0.0.69; another with -Dvirtflux.stress.host=N, for two runs side by side
  private static final LabHost HOST = Lab.host(Integer.getInteger("virtflux.stress.host", 8));
  // seconds frozen, in turn: well inside, around and past keepalive's 15 s
  private static final int[] FROZEN_SECONDS = {3, 16, 9, 19, 14, 25};
  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  // target/<this>.log: kept after the run (the test's directory is not), for what the service
  // said before a crash
  private static final String LOG_NAME = "freeze-thaw-stress-" + HOST.name();

  @TempDir Path dir;

  GenericContainer<?> host;
  ServiceProcess service;
  final AtomicBoolean stopping = new AtomicBoolean();
  final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    host = Lab.startOwn(HOST);
  }

  @AfterEach
  void stop() {
    stopping.set(true);
    if (service != null) {
      service.kill();
    }
    if (host != null) {
      signal("CONT");
      host.stop();
    }
  }

  @Test
  void freezingAndThawingAHostUnderLoadNeverCrashesTheService() throws Exception {
    int cycles = Integer.getInteger("virtflux.stress.cycles", CI_CYCLES);
    service = launch(ServiceProcess.freePort());
    WebTestClient client =
        service
            .client()
            .mutate()
            .responseTimeout(Duration.ofSeconds(60))
            .defaultHeader("Authorization", "Bearer " + Api.ADMIN_TOKEN)
            .build();
    awaitHost(client, "ONLINE", Duration.ofSeconds(60));

    ExecutorService load = Executors.newFixedThreadPool(AT_ONCE + 1);
    for (int i = 0; i < AT_ONCE; i++) {
      load.submit(() -> syncs(client));
    }
    load.submit(() -> reads(client));
    try {
      for (int cycle = 0; cycle < cycles; cycle++) {
        int frozen = FROZEN_SECONDS[cycle % FROZEN_SECONDS.length];
        signal("STOP");
        sleepWatching(Duration.ofSeconds(frozen), cycle);
        signal("CONT");
        awaitHost(client, "ONLINE", Duration.ofSeconds(60));
        sleepWatching(Duration.ofSeconds(2), cycle);
        System.out.printf(
            "freeze/thaw cycle %d/%d (%d s frozen): alive; outcomes so far %s%n",
            cycle + 1, cycles, frozen, outcomes);
      }
    } finally {
      stopping.set(true);
      load.shutdown();
      assertThat(load.awaitTermination(90, TimeUnit.SECONDS)).as("load stopped").isTrue();
    }

    assertThat(service.alive()).as("the service after %d cycles: %s", cycles, tail()).isTrue();
    assertThat(crashFiles()).as("hs_err or core files").isEmpty();
    // the host works again
    Map<String, Object> sync = submitSync(client);
    assertThat(sync).as("a sync after the last thaw").isNotNull();
    assertThat(awaitEnd(client, String.valueOf(sync.get("id")))).isEqualTo("SUCCEEDED");
    long warnings = jniWarnings();
    System.out.printf(
        "freeze/thaw: %d cycles, 0 crashes, outcomes %s, -Xcheck:jni warnings %d%n",
        cycles, outcomes, warnings);
  }

  private void syncs(WebTestClient client) {
    while (!stopping.get()) {
      try {
        Map<String, Object> op = submitSync(client);
        if (op == null) {
          count("refused");
          pause(200);
          continue;
        }
        count(awaitEnd(client, String.valueOf(op.get("id"))));
      } catch (RuntimeException e) {
        count("client error");
        pause(200);
      }
    }
  }

  /** Reads that reach the host's libvirt at the same time as the operations. */
  private void reads(WebTestClient client) {
    while (!stopping.get()) {
      try {
        // the body is read (expectBody), or the connection never goes back to the client's pool
        int status =
            client
                .get()
                .uri("/api/v1/hosts/{h}/pci-devices", HOST.name())
                .exchange()
                .expectBody(String.class)
                .returnResult()
                .getStatus()
                .value();
        count("read " + status);
      } catch (RuntimeException e) {
        count("read client error");
      }
      pause(100);
    }
  }

  private static Map<String, Object> submitSync(WebTestClient client) {
    var result =
        client
            .post()
            .uri("/api/v1/hosts/{h}/sync", HOST.name())
            .contentType(MediaType.APPLICATION_JSON)
            .exchange()
            .expectBody(JSON)
            .returnResult();
    return result.getStatus().value() == 202 ? result.getResponseBody() : null;
  }

  private String awaitEnd(WebTestClient client, String id) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Object> op =
          client
              .get()
              .uri("/api/v1/operations/{id}", id)
              .exchange()
              .expectBody(JSON)
              .returnResult()
              .getResponseBody();
      String phase = op == null ? "?" : String.valueOf(op.get("phase"));
      if (phase.equals("SUCCEEDED") || phase.equals("FAILED") || phase.equals("CANCELLED")) {
        return phase;
      }
      pause(100);
    }
    return "unfinished after 3 min";
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
  }

  /** Sleeps, failing at once (with the service's last lines) if the service died meanwhile. */
  private void sleepWatching(Duration d, int cycle) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      if (!service.alive()) {
        throw new AssertionError(
            "the service died in cycle "
                + (cycle + 1)
                + " (exit "
                + service.process().exitValue()
                + "), crash files "
                + crashFiles()
                + ":\n"
                + tail());
      }
      pause(100);
    }
  }

  private void awaitHost(WebTestClient client, String state, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    String now = "?";
    while (System.nanoTime() < deadline) {
      if (!service.alive()) {
        throw new AssertionError("the service died, crash files " + crashFiles() + ":\n" + tail());
      }
      try {
        Map<String, Object> h =
            client
                .get()
                .uri("/api/v1/hosts/{h}", HOST.name())
                .exchange()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        now = h == null ? "?" : String.valueOf(h.get("state"));
        if (state.equals(now)) {
          return;
        }
      } catch (RuntimeException notYet) {
        now = notYet.toString();
      }
      pause(250);
    }
    throw new AssertionError("host " + HOST.name() + " not " + state + " but " + now);
  }

  private ServiceProcess launch(int port) throws IOException, InterruptedException {
    String library = System.getProperty("virtflux.stress.libvirt", "");
    return ServiceProcess.start(
        LOG_NAME,
        port,
        dir.resolve("journal"),
        List.of("-Xcheck:jni", "-XX:+CreateCoredumpOnCrash"),
        // libvirt's libraries of another version, e.g. stock 9.0 (dev/lab keeps them aside)
        library.isBlank() ? null : Path.of(library),
        List.of(
            "--logging.structured.format.console=",
            "--virtflux.hosts[0].name=" + HOST.name(),
            "--virtflux.hosts[0].uri=" + HOST.uri(),
            "--virtflux.hosts[0].parallel-actions=true",
            "--virtflux.hosts[0].max-actions=" + AT_ONCE,
            "--virtflux.probe-interval=2s",
            "--virtflux.libvirt.connection-per-call="
                + System.getProperty("virtflux.stress.connection-per-call", "true")));
  }

  private List<String> crashFiles() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("hs_err") || n.startsWith("core"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long jniWarnings() throws IOException {
    return service.output().lines().filter(l -> l.contains("WARNING in native method")).count();
  }

  private String tail() {
    try {
      return service.tail();
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void signal(String signal) {
    Lab.signalLibvirtd(host, signal);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
