package io.virtflux.operation;

import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.virtflux.operation.events.LiveEvents;
import io.virtflux.operation.journal.JournalEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(properties = "virtflux.events.subscriber-buffer=16")
@AutoConfigureWebTestClient
@Import(OneLaneTestConfig.class)
@WithMockUser(
    username = "alice",
    roles = {"viewer", "operator", "admin", "VIEWER", "OPERATOR", "ADMIN"})
class EventControllerTest extends JournalTestSupport {

  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Autowired WebTestClient client;
  @Autowired LiveEvents live;
  @Autowired ObservedEvents observed;

  @Test
  void streamSaysConnectedAtOnceThenSendsEveryPhaseChangeWithItsSeq() {
    String vm = unique("vm");
    String host = unique("host");

    StepVerifier.create(stream("/api/v1/events?vm={vm}", vm).filter(e -> !isHeartbeat(e)))
        .assertNext(event -> assertThat(event.comment()).isEqualTo("connected"))
        .then(() -> operations.submit(request(SHUTDOWN, vm, host), c -> Mono.just("ok")).block())
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("QUEUED"))
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("RUNNING"))
        .assertNext(
            event -> {
              assertThat(event.event()).isEqualTo("operation");
              assertThat(phaseOf(event)).isEqualTo("SUCCEEDED");
              assertThat(field(event, "result")).isEqualTo("ok");
            })
        .thenCancel()
        .verify(PATIENCE);
  }

  @Test
  void streamOnlySendsTheOperationsItsFiltersMatch() {
    String vm = unique("vm");
    String host = unique("host");
    String otherHost = unique("host");

    StepVerifier.create(
            stream("/api/v1/events?host={host}&kind=REBOOT", host)
                .filter(e -> "operation".equals(e.event())))
        .then(
            () -> {
              operations.submit(request(SHUTDOWN, vm, host), c -> Mono.empty()).block();
              operations
                  .submit(request(OperationKind.REBOOT, vm, otherHost), c -> Mono.empty())
                  .block();
              operations.submit(request(OperationKind.REBOOT, vm, host), c -> Mono.empty()).block();
            })
        .assertNext(
            event -> {
              assertThat(field(event, "kind")).isEqualTo("REBOOT");
              assertThat(field(event, "target"))
                  .isEqualTo(Map.of("vm", vm, "hosts", List.of(host)));
            })
        .thenCancel()
        .verify(PATIENCE);
  }

  @Test
  void lastEventIdReplaysWhatWasMissedThenContinuesLiveWithoutGapsOrDuplicates() {
    String vm = unique("vm");
    String host = unique("host");
    Mono<Void> producer =
        Flux.range(0, 20)
            .concatMap(
                i ->
                    operations
                        .submit(request(SHUTDOWN, vm, host), c -> Mono.just(i))
                        .publishOn(Schedulers.boundedElastic())
                        .map(op -> awaitEnd(op.id())))
            .then()
            .cache();
    producer.subscribe();
    // connect while the producer is still writing: the switch from replay to live is exercised
    List<Long> seen = awaitEventsOf(vm, 12);
    long lastEventId = seen.get(4);

    List<Long> received = new CopyOnWriteArrayList<>();
    Disposable subscription =
        client
            .get()
            .uri("/api/v1/events?vm={vm}", vm)
            .header("Last-Event-ID", Long.toString(lastEventId))
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(SSE)
            .getResponseBody()
            .filter(event -> "operation".equals(event.event()))
            .subscribe(event -> received.add(Long.parseLong(event.id())));
    producer.block(PATIENCE);
    List<Long> expected = eventsOf(vm).stream().filter(seq -> seq > lastEventId).toList();

    Flux.interval(Duration.ofMillis(10))
        .onBackpressureDrop()
        .takeUntil(tick -> received.size() >= expected.size())
        .blockLast(PATIENCE);
    subscription.dispose();
    assertThat(expected).hasSize(60 - 5);
    assertThat(received).isEqualTo(expected);
  }

  @Test
  void hostStateChangesStreamLiveAndReplayUnderEventHostAndOnlyWhereAsked() {
    String host = unique("host");
    StepVerifier.create(
            stream("/api/v1/events?type=host&host={host}", host)
                .filter(e -> !isHeartbeat(e) && e.comment() == null))
        .then(
            () ->
                observed
                    .record(new HostEvent(host, "OFFLINE", "connection closed: EOF", Instant.now()))
                    .block())
        .assertNext(
            event -> {
              assertThat(event.event()).isEqualTo("host");
              assertThat(field(event, "host")).isEqualTo(host);
              assertThat(field(event, "state")).isEqualTo("OFFLINE");
              assertThat(field(event, "reason")).isEqualTo("connection closed: EOF");
            })
        .thenCancel()
        .verify(PATIENCE);

    // replayed from the journal; not on a stream of operation events or of a VM
    StepVerifier.create(
            stream("/api/v1/events?host={host}&lastEventId=0", host)
                .filter(e -> "host".equals(e.event())))
        .assertNext(event -> assertThat(field(event, "state")).isEqualTo("OFFLINE"))
        .thenCancel()
        .verify(PATIENCE);
    StepVerifier.create(
            stream("/api/v1/events?host={host}&type=operation&lastEventId=0", host)
                .filter(e -> "host".equals(e.event())))
        .expectNextCount(0)
        .thenCancel()
        .verify(Duration.ofSeconds(2));
  }

  @Test
  void lastEventIdQueryParameterReplaysLikeTheHeader() {
    String vm = unique("vm");
    Operation done = submitAndEnd(vm);
    List<Long> seqs = eventsOf(vm);

    StepVerifier.create(
            stream("/api/v1/events?vm={vm}&lastEventId=" + seqs.get(0), vm)
                .filter(e -> "operation".equals(e.event())))
        .assertNext(event -> assertThat(event.id()).isEqualTo(seqs.get(1).toString()))
        .assertNext(event -> assertThat(event.id()).isEqualTo(seqs.get(2).toString()))
        .thenCancel()
        .verify(PATIENCE);
    assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
  }

  @Test
  void eventsOfAnEndedOperationAreReplayedFromTheStartAndTheStreamCompletes() {
    Operation done = submitAndEnd(unique("vm"));

    StepVerifier.create(stream("/api/v1/operations/{id}/events", done.id()))
        .assertNext(event -> assertThat(event.comment()).isEqualTo("connected"))
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("QUEUED"))
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("RUNNING"))
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("SUCCEEDED"))
        .expectComplete()
        .verify(PATIENCE);
  }

  @Test
  void eventsOfARunningOperationFollowItLiveAndCompleteAfterItsEnd() {
    Sinks.One<String> end = Sinks.one();
    Operation running =
        operations
            .submit(request(SHUTDOWN, unique("vm"), unique("host")), c -> end.asMono())
            .block();
    awaitPhase(running.id(), Phase.RUNNING);

    StepVerifier.create(
            stream("/api/v1/operations/{id}/events", running.id())
                .filter(e -> "operation".equals(e.event())))
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("QUEUED"))
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("RUNNING"))
        .then(() -> end.tryEmitValue("done"))
        .assertNext(event -> assertThat(phaseOf(event)).isEqualTo("SUCCEEDED"))
        .expectComplete()
        .verify(PATIENCE);
  }

  @Test
  void anEventTypeTheStreamDoesNotHaveIsABadRequestProblem() {
    client
        .get()
        .uri("/api/v1/events?type=vm&type=vms")
        .accept(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_PROBLEM_JSON)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.errors[0].field")
        .isEqualTo("type");
  }

  @Test
  void eventsOfAnUnknownOperationIsANotFoundProblem() {
    client
        .get()
        .uri("/api/v1/operations/{id}/events", "no-such-operation")
        .accept(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_PROBLEM_JSON)
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.type")
        .isEqualTo("urn:virtflux:problem:operation-not-found");
  }

  @Test
  void slowSubscriberIsToldToReconnectAndDroppedWhileOthersGetEverything() {
    String vm = unique("vm");
    int count = 5_000;
    int subscribersBefore = live.subscribers();
    Flux<ServerSentEvent<String>> slow = stream("/api/v1/events?vm={vm}", vm);
    java.util.concurrent.atomic.AtomicLong fastSeen = new java.util.concurrent.atomic.AtomicLong();
    Flux<ServerSentEvent<String>> fast =
        stream("/api/v1/events?vm={vm}", vm)
            .filter(e -> "operation".equals(e.event()))
            .doOnNext(e -> fastSeen.incrementAndGet());
    List<ServerSentEvent<String>> slowReceived = new CopyOnWriteArrayList<>();

    StepVerifier.create(fast.take(count))
        .then(
            () ->
                StepVerifier.create(slow.doOnNext(slowReceived::add), 1)
                    .expectNextMatches(event -> "connected".equals(event.comment()))
                    .then(() -> publishFakeEvents(vm, count, fastSeen))
                    .thenRequest(Long.MAX_VALUE)
                    .thenConsumeWhile(event -> !"overflow".equals(event.event()))
                    .expectNextMatches(event -> "overflow".equals(event.event()))
                    .expectComplete()
                    .verify(PATIENCE))
        .expectNextCount(count)
        .expectComplete()
        .verify(PATIENCE);

    List<Long> slowSeqs =
        slowReceived.stream()
            .filter(event -> "operation".equals(event.event()))
            .map(event -> Long.parseLong(event.id()))
            .toList();
    ServerSentEvent<String> overflow = slowReceived.get(slowReceived.size() - 1);
    assertThat(overflow.event()).isEqualTo("overflow");
    assertThat(slowSeqs).hasSizeLessThan(count).isNotEmpty();
    // what it did get is gapless, and the overflow names the last of it
    assertThat(slowSeqs.get(slowSeqs.size() - 1) - slowSeqs.get(0)).isEqualTo(slowSeqs.size() - 1);
    assertThat(overflow.data()).isEqualTo(slowSeqs.get(slowSeqs.size() - 1).toString());
    Flux.interval(Duration.ofMillis(10))
        .onBackpressureDrop()
        .takeUntil(tick -> live.subscribers() == subscribersBefore)
        .blockLast(PATIENCE);
  }

  /**
   * Publishes straight to the live fan-out, as the journal would, without writing rows, each event
   * once the subscriber counted by {@code keptUpWith} is within 8 of it: delivery is asynchronous,
   * and this is a subscriber that keeps up.
   */
  private void publishFakeEvents(
      String vm, int count, java.util.concurrent.atomic.AtomicLong keptUpWith) {
    Operation operation =
        Operation.queued(vm, request(SHUTDOWN, vm, "fake-host"), java.time.Instant.now());
    String json = JSON.writeValueAsString(Map.of("id", vm, "phase", "QUEUED"));
    long base = 1_000_000_000L;
    for (int i = 1; i <= count; i++) {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (keptUpWith.get() < i - 8 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      live.committed(new JournalEvent(base + i, operation, null, null, json));
    }
  }

  private Flux<ServerSentEvent<String>> stream(String uri, Object... variables) {
    return client
        .get()
        .uri(uri, variables)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
        .returnResult(SSE)
        .getResponseBody();
  }

  private Operation submitAndEnd(String vm) {
    Operation queued =
        operations.submit(request(SHUTDOWN, vm, unique("host")), c -> Mono.just("ok")).block();
    return awaitEnd(queued.id());
  }

  private List<Long> eventsOf(String vm) {
    return seqsOf(vm).block(PATIENCE);
  }

  private Mono<List<Long>> seqsOf(String vm) {
    return db.sql(
            "SELECT e.seq FROM operation_events e JOIN operations o ON o.id = e.operation_id"
                + " WHERE o.vm = :vm ORDER BY e.seq")
        .bind("vm", vm)
        .map(row -> row.get("seq", Long.class))
        .all()
        .collectList();
  }

  private List<Long> awaitEventsOf(String vm, int atLeast) {
    return Flux.interval(Duration.ZERO, Duration.ofMillis(5))
        .onBackpressureDrop()
        .concatMap(tick -> seqsOf(vm))
        .filter(seqs -> seqs.size() >= atLeast)
        .blockFirst(PATIENCE);
  }

  private static boolean isHeartbeat(ServerSentEvent<String> event) {
    return "heartbeat".equals(event.comment());
  }

  private static Object field(ServerSentEvent<String> event, String name) {
    return JSON.readValue(event.data(), Map.class).get(name);
  }

  private static Object phaseOf(ServerSentEvent<String> event) {
    return field(event, "phase");
  }
}
