package io.virtflux.operation;

import static io.virtflux.operation.OperationKind.REBOOT;
import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.csrf;

import io.virtflux.operation.events.LiveEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The graceful stop, driven as Spring drives it when the context closes ({@link GracefulDrain} on
 * ContextClosedEvent), in a context of its own per test: submissions are refused with 503 and
 * Retry-After and readiness is REFUSING_TRAFFIC while a running operation finishes; a queued one
 * stays QUEUED, untouched; event streams end cleanly; what outlasts the drain stays RUNNING.
 * (SIGTERM to a real process during a live migration: GracefulStopIT.)
 */
@SpringBootTest(
    properties = {
      "virtflux.shutdown.drain-timeout=30s",
      "virtflux.hosts[0].name=" + GracefulDrainTest.HOST,
      "virtflux.hosts[0].uri=test:///default"
    })
@AutoConfigureWebTestClient
@Import(OneLaneTestConfig.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@WithMockUser(
    username = "alice",
    roles = {"VIEWER", "OPERATOR", "ADMIN"})
class GracefulDrainTest extends JournalTestSupport {

  static final String HOST = "drain-h";

  private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> SSE =
      new ParameterizedTypeReference<>() {};

  @Autowired WebTestClient web;
  @Autowired GracefulDrain drain;
  @Autowired ApplicationAvailability availability;
  @Autowired LiveEvents live;
  @Autowired ApplicationEventPublisher publisher;

  @Test
  void aStopRefusesSubmissionsWithRetryAfterLetsTheRunningEndAndKeepsTheQueued() throws Exception {
    Sinks.Empty<Void> release = Sinks.empty();
    Operation running =
        operations
            .submit(
                request(SHUTDOWN, unique("vm"), HOST),
                context -> release.asMono().thenReturn(Map.of("state", "off")))
            .block();
    awaitPhase(running.id(), Phase.RUNNING);
    // the lane (one at a time) is taken: this one waits behind it
    Operation queued =
        operations
            .submit(request(REBOOT, unique("vm"), HOST), context -> Mono.just(Map.of()))
            .block();
    List<ServerSentEvent<Map<String, Object>>> streamed = new CopyOnWriteArrayList<>();
    AtomicBoolean streamCompleted = new AtomicBoolean();
    web.get()
        .uri("/api/v1/events?type=operation&host={h}", HOST)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .returnResult(SSE)
        .getResponseBody()
        .subscribe(streamed::add, error -> {}, () -> streamCompleted.set(true));

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(drain::drain);

    awaitReadiness(ReadinessState.REFUSING_TRAFFIC);
    web.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503);
    String retryAfter =
        web.mutateWith(csrf())
            .post()
            .uri("/api/v1/hosts/{h}/sync", HOST)
            .exchange()
            .expectStatus()
            .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:virtflux:problem:shutting-down")
            .jsonPath("$.title")
            .isEqualTo("Service stopping")
            .returnResult()
            .getResponseHeaders()
            .getFirst(HttpHeaders.RETRY_AFTER);
    assertThat(Integer.parseInt(String.valueOf(retryAfter))).isBetween(1, 30);
    assertThat(
            operations
                .list(new OperationFilter(HOST, null, OperationKind.HOST_SYNC, null), 0, 1)
                .block()
                .total())
        .as("nothing queued for the refused submission")
        .isZero();
    assertThat(stopping).as("the stop waits for the running operation").isNotDone();

    release.tryEmitEmpty();
    stopping.get(5, TimeUnit.SECONDS);

    Operation ended = operations.find(running.id()).block();
    assertThat(ended.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(ended.result()).isEqualTo(Map.of("kind", "SHUTDOWN", "state", "off"));
    // its lane is free now, and still the queued one is not started: it waits for the next start
    Thread.sleep(300);
    assertThat(operations.find(queued.id()).block().phase()).isEqualTo(Phase.QUEUED);
    assertThat(events(queued.id())).extracting(JournaledEvent::type).containsExactly("QUEUED");
    assertThat(operations.laneState(HOST).queued()).isEqualTo(1);
    awaitTrue(streamCompleted, "the event stream completes, not cut");
    assertThat(streamed)
        .filteredOn(e -> e.data() != null && running.id().equals(e.data().get("id")))
        .extracting(e -> e.data().get("phase"))
        .as("the streams end after the last event of what finished")
        .contains("SUCCEEDED");
  }

  @Test
  void whatOutlastsTheDrainStaysRunningInTheJournalForTheNextStart() {
    AtomicBoolean workCancelled = new AtomicBoolean();
    Operation endless =
        operations
            .submit(
                request(SHUTDOWN, unique("vm"), HOST),
                context -> Mono.never().doOnCancel(() -> workCancelled.set(true)))
            .block();
    awaitPhase(endless.id(), Phase.RUNNING);

    // the context's drain, with a timeout of 1 s
    GracefulDrain shortDrain =
        new GracefulDrain(
            operations, live, publisher, new ShutdownProperties(Duration.ofSeconds(1)));
    long start = System.nanoTime();
    shortDrain.drain();

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the drain waits its timeout, no longer")
        .isBetween(Duration.ofMillis(900), Duration.ofSeconds(10));
    assertThat(workCancelled).as("its pipeline is dropped").isTrue();
    assertThat(operations.find(endless.id()).block().phase()).isEqualTo(Phase.RUNNING);
    assertThat(events(endless.id()))
        .extracting(JournaledEvent::type)
        .containsExactly("QUEUED", "RUNNING");
  }

  private void awaitReadiness(ReadinessState state) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (availability.getReadinessState() != state) {
      assertThat(System.nanoTime()).as("readiness %s", state).isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static void awaitTrue(AtomicBoolean flag, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!flag.get()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
