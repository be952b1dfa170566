package io.virtflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The journal's file system fills up under the running service (a tmpfs of its own, filled by the
 * test): submissions are refused with 503 and a problem, never a 202 for an operation that was not
 * recorded; readiness turns false; once space returns the service recovers by itself, and what was
 * recorded before is still there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class JournalTroubleIT {

  private static final Path MOUNT =
      Path.of(
          System.getProperty("java.io.tmpdir"),
          "virtflux-journal-fs-" + ProcessHandle.current().pid());

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void config(DynamicPropertyRegistry registry) throws Exception {
    Files.createDirectories(MOUNT);
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", MOUNT.toString());
    // a failure, not a skip: dev/test runs as root, and a skipped test would prove nothing
    assertThat(mounted).as("mount a tmpfs for the journal (needs root)").isTrue();
    registry.add("virtflux.journal.path", () -> MOUNT.resolve("journal").toString());
    registry.add("virtflux.hosts[0].name", () -> "journal-host");
    registry.add("virtflux.hosts[0].uri", () -> "test:///default");
    TestTokens.register(registry, 0, "it-admin", "ADMIN", Api.ADMIN_TOKEN);
  }

  @AfterAll
  static void unmount() {
    // lazily: the application context (and the journal's open file) outlives this class
    run("umount", "-l", MOUNT.toString());
  }

  @Test
  void aFullJournalRefusesSubmissionsWith503TurnsUnreadyAndRecovers() throws Exception {
    String before = accepted(suspend());
    awaitEnd(before);
    assertThat(readiness()).isEqualTo(200);

    Path filler = MOUNT.resolve("filler");
    fill(filler);
    try {
      EntityExchangeResult<byte[]> refused = resume();
      assertThat(refused.getStatus().value()).isEqualTo(503);
      assertThat(refused.getResponseHeaders().getContentType())
          .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat(body(refused)).contains("urn:virtflux:problem:journal-unavailable");
      awaitReadiness(503);
    } finally {
      Files.delete(filler);
    }

    awaitReadiness(200);
    String after = accepted(resume());
    awaitEnd(after);
    assertThat(phase(before)).isEqualTo("SUCCEEDED");
  }

  private EntityExchangeResult<byte[]> suspend() {
    return post("/api/v1/vms/test/actions/suspend");
  }

  private EntityExchangeResult<byte[]> resume() {
    return post("/api/v1/vms/test/actions/resume");
  }

  private EntityExchangeResult<byte[]> post(String path) {
    return web.post()
        .uri(path)
        .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private static String accepted(EntityExchangeResult<byte[]> result) {
    assertThat(result.getStatus().value()).as(body(result)).isEqualTo(202);
    return body(result).replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
  }

  private String phase(String id) {
    byte[] json =
        web.get()
            .uri("/api/v1/operations/" + id)
            .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return new String(json).replaceAll("(?s).*\"phase\":\"([^\"]+)\".*", "$1");
  }

  private void awaitEnd(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(phase(id))) {
      assertThat(System.nanoTime()).as("operation " + id + " ends").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(phase(id)).isEqualTo("SUCCEEDED");
  }

  private int readiness() {
    return readinessResult().getStatus().value();
  }

  private EntityExchangeResult<byte[]> readinessResult() {
    return web.get()
        .uri("/actuator/health/readiness")
        .header("Authorization", "Bearer " + Api.ADMIN_TOKEN)
        .exchange()
        .expectBody()
        .returnResult();
  }

  private void awaitReadiness(int status) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (readiness() != status) {
      assertThat(System.nanoTime())
          .as("readiness becomes " + status + ": " + body(readinessResult()))
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static String body(EntityExchangeResult<byte[]> result) {
    byte[] body = result.getResponseBody();
    return body == null ? "" : new String(body);
  }

  /** Writes {@code filler} until the file system has no space left. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (var out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("space")) {
        throw e;
      }
    }
  }

  private static boolean run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
