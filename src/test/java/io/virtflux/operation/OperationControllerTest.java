package io.virtflux.operation;

import static io.virtflux.operation.OperationKind.MIGRATE;
import static io.virtflux.operation.OperationKind.REBOOT;
import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.csrf;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

@SpringBootTest
@AutoConfigureWebTestClient
@Import(OneLaneTestConfig.class)
// both spellings: the security package decides how it names its roles
@WithMockUser(
    username = "alice",
    roles = {"viewer", "operator", "admin", "VIEWER", "OPERATOR", "ADMIN"})
class OperationControllerTest extends JournalTestSupport {

  @Autowired WebTestClient client;

  @Test
  void listFiltersByVmHostKindAndPhaseNewestFirst() {
    String vm = unique("vm");
    String h1 = unique("host");
    String h2 = unique("host");
    String oldest = submitAndEnd(SHUTDOWN, vm, h1);
    String middle = submitAndEnd(REBOOT, vm, h1);
    String newest = submitAndEnd(SHUTDOWN, vm, h2);

    client
        .get()
        .uri("/api/v1/operations?vm={vm}", vm)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(3)
        .jsonPath("$.page")
        .isEqualTo(0)
        .jsonPath("$.size")
        .isEqualTo(20)
        .jsonPath("$.items[*].id")
        .isEqualTo(List.of(newest, middle, oldest));
    assertIds("vm={vm}&kind=REBOOT", vm, middle);
    assertIds("vm={vm}&host=" + h2, vm, newest);
    assertIds("vm={vm}&phase=SUCCEEDED&kind=SHUTDOWN", vm, newest, oldest);
    assertIds("vm={vm}&phase=FAILED", vm);
  }

  @Test
  void listPagesThroughTheMatches() {
    String vm = unique("vm");
    String host = unique("host");
    String oldest = submitAndEnd(SHUTDOWN, vm, host);
    submitAndEnd(SHUTDOWN, vm, host);
    submitAndEnd(SHUTDOWN, vm, host);

    client
        .get()
        .uri("/api/v1/operations?vm={vm}&size=2&page=1", vm)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(3)
        .jsonPath("$.page")
        .isEqualTo(1)
        .jsonPath("$.size")
        .isEqualTo(2)
        .jsonPath("$.items[*].id")
        .isEqualTo(List.of(oldest));
  }

  @Test
  void pageSizeAboveTheMaximumIsABadRequestProblem() {
    client
        .get()
        .uri("/api/v1/operations?size={size}", OperationPage.MAX_SIZE + 1)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void getAnswersTheOperationAsJson() {
    String vm = unique("vm");
    String host = unique("host");
    String id = submitAndEnd(SHUTDOWN, vm, host);

    client
        .get()
        .uri("/api/v1/operations/{id}", id)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.id")
        .isEqualTo(id)
        .jsonPath("$.kind")
        .isEqualTo("SHUTDOWN")
        .jsonPath("$.phase")
        .isEqualTo("SUCCEEDED")
        .jsonPath("$.target.vm")
        .isEqualTo(vm)
        .jsonPath("$.target.hosts[0]")
        .isEqualTo(host)
        .jsonPath("$.result.kind")
        .isEqualTo("SHUTDOWN")
        .jsonPath("$.result.ok")
        .isEqualTo(true)
        .jsonPath("$.requestedBy")
        .isEqualTo("alice")
        .jsonPath("$.createdAt")
        .value(String.class, createdAt -> assertThat(createdAt).endsWith("Z"));
  }

  @Test
  void unknownOperationIsANotFoundProblem() {
    client
        .get()
        .uri("/api/v1/operations/{id}", "no-such-operation")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.title")
        .isEqualTo("Operation not found");
  }

  @Test
  void deleteCancelsAQueuedOperation() {
    String host = unique("host");
    Sinks.One<String> blockerEnd = Sinks.one();
    Operation blocker =
        operations
            .submit(request(SHUTDOWN, unique("vm"), host), context -> blockerEnd.asMono())
            .block();
    Operation queued =
        operations.submit(request(SHUTDOWN, unique("vm"), host), context -> Mono.empty()).block();

    client
        .mutateWith(csrf())
        .delete()
        .uri("/api/v1/operations/{id}", queued.id())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.phase")
        .isEqualTo("CANCELLED")
        .jsonPath("$.error.detail")
        .isEqualTo("cancelled by alice");
    blockerEnd.tryEmitValue("done");
    awaitEnd(blocker.id());
  }

  @Test
  void deleteOfARunningAbortableOperationIsAcceptedAndEndsCancelled() {
    Operation running =
        operations
            .submit(
                new OperationRequest(
                    MIGRATE,
                    new OperationTarget(unique("vm"), List.of(unique("src"), unique("dst"))),
                    null,
                    "alice"),
                context -> Mono.never())
            .block();
    awaitPhase(running.id(), Phase.RUNNING);

    client
        .mutateWith(csrf())
        .delete()
        .uri("/api/v1/operations/{id}", running.id())
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectHeader()
        .location("/api/v1/operations/" + running.id())
        .expectBody()
        .jsonPath("$.phase")
        .isEqualTo("RUNNING");
    assertThat(awaitEnd(running.id()).phase()).isEqualTo(Phase.CANCELLED);
  }

  @Test
  void deleteOfAnEndedOperationIsAConflictProblem() {
    String id = submitAndEnd(SHUTDOWN, unique("vm"), unique("host"));

    client
        .mutateWith(csrf())
        .delete()
        .uri("/api/v1/operations/{id}", id)
        .exchange()
        .expectStatus()
        .isEqualTo(HttpStatus.CONFLICT)
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("urn:virtflux:problem:operation-cannot-be-cancelled");
  }

  @Test
  void deleteOfAnUnknownOperationIsANotFoundProblem() {
    client
        .mutateWith(csrf())
        .delete()
        .uri("/api/v1/operations/{id}", "no-such-operation")
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  @Test
  void acceptedAnswerPointsAtTheOperation() {
    Operation queued =
        operations
            .submit(request(SHUTDOWN, unique("vm"), unique("host")), context -> Mono.empty())
            .block();

    ResponseEntity<Operation> answer = OperationResponses.accepted(queued);

    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(answer.getHeaders().getLocation()).hasToString("/api/v1/operations/" + queued.id());
    assertThat(answer.getBody()).isEqualTo(queued);
    client.get().uri(answer.getHeaders().getLocation()).exchange().expectStatus().isOk();
  }

  private String submitAndEnd(OperationKind kind, String vm, String host) {
    Operation queued =
        operations
            .submit(
                new OperationRequest(kind, OperationTarget.vmOn(vm, host), null, "alice"),
                context -> Mono.just(java.util.Map.of("ok", true)))
            .block();
    awaitEnd(queued.id());
    return queued.id();
  }

  private void assertIds(String query, String vm, String... ids) {
    client
        .get()
        .uri("/api/v1/operations?" + query, vm)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[*].id")
        .isEqualTo(List.of(ids));
  }
}
