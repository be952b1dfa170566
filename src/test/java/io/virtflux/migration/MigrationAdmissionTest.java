package io.virtflux.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.TestDriverNodes;
import io.virtflux.operation.Command;
import io.virtflux.operation.CommandHandler;
import io.virtflux.operation.OperationContext;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.Operations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * What a migration meets between its submission and its start, against libvirt's test driver: a
 * second migration of the VM is refused while the first waits, and what changed meanwhile (the VM
 * stopped) ends the first FAILED with the problem a new submission would get, before libvirt is
 * asked to migrate anything.
 */
@SpringBootTest(properties = "virtflux.probe-interval=0s")
@AutoConfigureWebTestClient
@WithMockUser(
    username = "alice",
    roles = {"VIEWER", "OPERATOR", "ADMIN"})
class MigrationAdmissionTest {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  // sorted first: a migration from m-two to m-one waits for this lane without holding m-two's
  private static final String DESTINATION = "m-one";
  private static final String SOURCE = "m-two";

  @Autowired WebTestClient web;
  @Autowired Operations operations;

  @DynamicPropertySource
  static void hosts(DynamicPropertyRegistry registry) {
    Path dir = TestDriverNodes.copied("virtflux-migration");
    String[][] hosts = {{DESTINATION, "node-one.xml"}, {SOURCE, "node-two.xml"}};
    for (int i = 0; i < hosts.length; i++) {
      String p = "virtflux.hosts[" + i + "].";
      String uri = "test://" + dir.resolve(hosts[i][1]);
      String name = hosts[i][0];
      registry.add(p + "name", () -> name);
      registry.add(p + "uri", () -> uri);
    }
    registry.add("virtflux.journal.path", () -> dir.resolve("journal").toString());
  }

  /** Holds a host's lane until {@link #GATE} emits: lets a test change things meanwhile. */
  record Hold(String host) implements Command {
    @Override
    public OperationKind kind() {
      return OperationKind.HOST_SYNC;
    }

    @Override
    public OperationTarget target() {
      return OperationTarget.host(host);
    }
  }

  /** Hold's empty result. */
  record HoldResult() {}

  static final Sinks.One<HoldResult> GATE = Sinks.one();

  @TestConfiguration(proxyBeanMethods = false)
  static class Holding {
    @Bean
    CommandHandler<Hold, HoldResult> holdHandler() {
      return new HoldHandler();
    }
  }

  static class HoldHandler implements CommandHandler<Hold, HoldResult> {
    @Override
    public String name() {
      return "test-hold";
    }

    @Override
    public Set<OperationKind> kinds() {
      return Set.of(OperationKind.HOST_SYNC);
    }

    @Override
    public Mono<HoldResult> run(Hold command, OperationContext context) {
      return GATE.asMono();
    }
  }

  @Test
  void whatChangedWhileItWaitedEndsItWithTheProblemASubmissionWouldGet() {
    String vm = "mig-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(
            end(submit(
                    "/api/v1/vms",
                    Map.of("host", SOURCE, "template", Map.of("name", vm, "memory", 64)),
                    202))
                .get("phase"))
        .isEqualTo("SUCCEEDED");
    String blocker =
        operations.submit(new Hold(DESTINATION), null, "alice").block(Duration.ofSeconds(5)).id();
    try {
      String migration =
          id(
              submit(
                  "/api/v1/vms/" + vm + "/migrations",
                  Map.of("destination", DESTINATION, "unsafe", true),
                  202));

      Map<String, Object> second =
          submit("/api/v1/vms/" + vm + "/migrations", Map.of("destination", DESTINATION), 409);
      assertThat(second.get("title")).isEqualTo("Migration in progress");
      assertThat(second.get("detail").toString()).contains(migration, "migrates '" + vm + "'");

      // the source's lane is free: the VM stops while its migration waits for the destination's
      assertThat(end(submit("/api/v1/vms/" + vm + "/actions/cancel", null, 202)).get("phase"))
          .isEqualTo("SUCCEEDED");
      assertThat(phase(migration)).isEqualTo("QUEUED");
      GATE.tryEmitValue(new HoldResult());

      Map<String, Object> failed = end(migration);
      assertThat(failed.get("phase")).as("%s", failed).isEqualTo("FAILED");
      @SuppressWarnings("unchecked")
      Map<String, Object> error = (Map<String, Object>) failed.get("error");
      assertThat(error.get("title")).isEqualTo("VM not running");
      assertThat(error.get("status")).isEqualTo(409);
      Map<String, Object> again =
          submit(
              "/api/v1/vms/" + vm + "/migrations",
              Map.of("destination", DESTINATION, "unsafe", true),
              409);
      assertThat(again.get("title")).isEqualTo("VM not running");
    } finally {
      GATE.tryEmitValue(new HoldResult());
    }
    assertThat(end(blocker).get("phase")).isEqualTo("SUCCEEDED");
  }

  private Map<String, Object> submit(String uri, Object body, int status) {
    WebTestClient.RequestBodySpec spec = web.post().uri(uri);
    WebTestClient.RequestHeadersSpec<?> request =
        body == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    return request
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private static String id(Map<String, Object> operation) {
    return String.valueOf(operation.get("id"));
  }

  private String phase(String id) {
    return String.valueOf(operation(id).get("phase"));
  }

  private Map<String, Object> operation(String id) {
    return web.get()
        .uri("/api/v1/operations/{id}", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JSON)
        .returnResult()
        .getResponseBody();
  }

  private Map<String, Object> end(Map<String, Object> submitted) {
    return end(id(submitted));
  }

  private Map<String, Object> end(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    Map<String, Object> op = operation(id);
    while (!String.valueOf(op.get("phase")).matches("SUCCEEDED|FAILED|CANCELLED")
        && System.nanoTime() < deadline) {
      sleep();
      op = operation(id);
    }
    return op;
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
