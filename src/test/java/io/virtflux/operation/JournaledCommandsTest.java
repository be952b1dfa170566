package io.virtflux.operation;

import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.lab.TestDriverNodes;
import io.virtflux.operation.journal.OperationJournal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The command journaled with a QUEUED operation reads back and binds to its handler (one of each
 * feature, from requests sent through the API, so with the real command types and the application's
 * JSON mapper), and what start-up does with operations a previous process left QUEUED: runs them,
 * or cancels them when configured to or when no command this version can run was journaled. Against
 * libvirt's test driver: what is checked here is the journal's side, not what the work does on a
 * host.
 */
@SpringBootTest(properties = "virtflux.probe-interval=0s")
@AutoConfigureWebTestClient
@WithMockUser(
    username = "alice",
    roles = {"VIEWER", "OPERATOR", "ADMIN"})
class JournaledCommandsTest extends JournalTestSupport {

  private static final ParameterizedTypeReference<Map<String, Object>> JSON =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient web;
  @Autowired CommandHandlers commands;
  @Autowired OperationJournal journal;
  @Autowired JournalJson json;
  @Autowired ObjectProvider<RestartReconciler> reconcilers;

  @DynamicPropertySource
  static void hosts(DynamicPropertyRegistry registry) {
    Path dir = TestDriverNodes.copied("virtflux-replay");
    String[][] hosts = {{"q-one", "node-one.xml"}, {"q-two", "node-two.xml"}};
    for (int i = 0; i < hosts.length; i++) {
      String p = "virtflux.hosts[" + i + "].";
      String uri = "test://" + dir.resolve(hosts[i][1]);
      String name = hosts[i][0];
      registry.add(p + "name", () -> name);
      registry.add(p + "uri", () -> uri);
    }
  }

  @Test
  void everyFeatureKeepsWhatRebuildsItsQueuedWork() {
    String vm = unique("rp");
    awaitSucceeded(accepted(HttpMethod.POST, "/api/v1/vms", deploy(vm)));
    Sinks.One<Object> gate = Sinks.one();
    Operation blocker = block("q-one", gate);
    try {
      List<String> queued = new ArrayList<>();
      queued.add(accepted(HttpMethod.POST, "/api/v1/hosts/q-one/sync", null));
      queued.add(accepted(HttpMethod.POST, "/api/v1/vms/" + vm + "/actions/suspend", null));
      queued.add(accepted(HttpMethod.POST, "/api/v1/vms/" + vm + "/nics", Map.of("type", "user")));
      queued.add(
          accepted(
              HttpMethod.POST,
              "/api/v1/vms/" + vm + "/migrations",
              Map.of("destination", "q-two", "live", true)));
      queued.add(accepted(HttpMethod.POST, "/api/v1/vms", deploy(unique("rp2"))));
      queued.add(accepted(HttpMethod.DELETE, "/api/v1/vms/" + vm, null));

      List<String> names = new ArrayList<>();
      for (String id : queued) {
        Operation op = operations.find(id).block(Duration.ofSeconds(5));
        assertThat(op.phase()).as("%s", op).isEqualTo(Phase.QUEUED);
        String kept = journal.commandOf(id).block(Duration.ofSeconds(5));
        assertThat(kept).as("what %s kept", op.kind()).isNotNull();
        assertThat(commands.read(kept))
            .as("%s read back from %s", op.kind(), kept)
            .isInstanceOf(CommandHandlers.Read.Ok.class);
        names.add(json.readCommand(kept).name());
      }
      assertThat(names)
          .containsExactly(
              "host-sync", "vm-lifecycle", "attach-nic", "migrate", "vm-deploy-v2", "vm-remove");
    } finally {
      gate.tryEmitValue(Map.of());
    }
    awaitEnd(blocker.id());
  }

  @Test
  void startUpRunsWhatWasQueuedOrCancelsItWithTheReason() {
    Sinks.One<Object> gate = Sinks.one();
    Operation blocker = block("q-two", gate);
    String sync = accepted(HttpMethod.POST, "/api/v1/hosts/q-two/sync", null);
    Operation notKept =
        operations
            .submit(request(OperationKind.HOST_SYNC, null, "q-two"), ctx -> Mono.empty())
            .block(Duration.ofSeconds(5));
    Operation unknown =
        operations
            .submit(
                request(OperationKind.HOST_SYNC, null, "q-two"),
                ctx -> Mono.empty(),
                new JournaledCommand("no-such-recipe", Map.of("x", 1)))
            .block(Duration.ofSeconds(5));

    // what the next process does at start-up: here, on operations this one still holds
    new JournalRecovery(journal, operations, properties("run"), reconcilers, soleOwner())
        .recover()
        .block(Duration.ofSeconds(30));

    assertThat(operations.find(blocker.id()).block().phase()).isEqualTo(Phase.FAILED);
    assertThat(awaitEnd(notKept.id()).error().getDetail()).contains("its request was not kept");
    assertThat(awaitEnd(unknown.id()).error().getDetail())
        .contains("cannot run a journaled 'no-such-recipe' command");
    gate.tryEmitValue(Map.of());
    Operation ran = awaitEnd(sync);
    assertThat(ran.phase()).as("%s", ran).isEqualTo(Phase.SUCCEEDED);
    assertThat(journal.commandOf(sync).blockOptional(Duration.ofSeconds(5)))
        .as("the command stays journaled with the operation it ran")
        .isPresent();
  }

  @Test
  void startUpCancelsWhatWasQueuedWhenConfiguredTo() {
    Sinks.One<Object> gate = Sinks.one();
    block("q-one", gate);
    String sync = accepted(HttpMethod.POST, "/api/v1/hosts/q-one/sync", null);

    new JournalRecovery(journal, operations, properties("cancel"), reconcilers, soleOwner())
        .recover()
        .block(Duration.ofSeconds(30));

    Operation cancelled = operations.find(sync).block(Duration.ofSeconds(5));
    assertThat(cancelled.phase()).isEqualTo(Phase.CANCELLED);
    assertThat(cancelled.error().getTitle()).isEqualTo("Interrupted by restart");
    assertThat(cancelled.error().getDetail())
        .contains("virtflux.operations.on-restart.queued is cancel", "submit it again");
    gate.tryEmitValue(Map.of());
  }

  // ---------------------------------------------------------------------------------------------

  private static OperationProperties properties(String queued) {
    return new OperationProperties(
        Duration.ofMinutes(2),
        Map.of(),
        new OperationProperties.OnRestart(
            OperationProperties.QueuedOnRestart.valueOf(queued.toUpperCase())),
        Duration.ofHours(24));
  }

  /** An operation holding the host's lane (one action at a time) until {@code gate} emits. */
  private Operation block(String host, Sinks.One<Object> gate) {
    Operation op =
        operations
            .submit(request(OperationKind.HOST_SYNC, null, host), ctx -> gate.asMono())
            .block(Duration.ofSeconds(5));
    return awaitPhase(op.id(), Phase.RUNNING);
  }

  private static Map<String, Object> deploy(String name) {
    return Map.of("host", "q-one", "template", Map.of("name", name, "memory", 64));
  }

  private String accepted(HttpMethod method, String uri, Object body) {
    WebTestClient.RequestBodySpec spec = web.method(method).uri(uri);
    WebTestClient.RequestHeadersSpec<?> request =
        body == null ? spec : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
    Map<String, Object> op =
        request
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON)
            .returnResult()
            .getResponseBody();
    return String.valueOf(op.get("id"));
  }

  private void awaitSucceeded(String id) {
    Operation op = awaitEnd(id);
    assertThat(op.phase()).as("%s", op).isEqualTo(Phase.SUCCEEDED);
  }

  private static ObjectProvider<HostOwnership> soleOwner() {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    beans.addBean("owner", HostOwnership.SOLE);
    return beans.getBeanProvider(HostOwnership.class);
  }
}
