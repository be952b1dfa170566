package io.virtflux.operation;

import static io.virtflux.operation.OperationKind.SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.virtflux.operation.journal.OperationJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journal's retention under load: 10,000 operations through the pipeline with {@code
 * max-operations: 200}, the tables' sizes sampled all along; then streams resumed from before and
 * after what was deleted.
 */
@SpringBootTest(
    properties = {
      "virtflux.journal.retention.max-operations=" + JournalRetentionTest.KEPT,
      "virtflux.journal.retention.interval=20ms",
      "virtflux.journal.retention.batch-size=100",
      // two lines per operation: 20,000 lines would cost more than the operations
      "logging.level.io.virtflux.operation.OperationService=WARN"
    })
@AutoConfigureWebTestClient
@Import(OneLaneTestConfig.class)
@WithMockUser(
    username = "alice",
    roles = {"viewer", "operator", "admin", "VIEWER", "OPERATOR", "ADMIN"})
class JournalRetentionTest extends JournalTestSupport {

  static final int KEPT = 200;
  private static final int OPERATIONS = 10_000;
  private static final int IN_FLIGHT = 64;
  private static final int HOSTS = 32;

  /**
   * What the journal may hold at any moment: the operations kept, those not finished (the ones in
   * flight), and what finished since the last retention run (every 20 ms); measured at most 280.
   * Without retention: all 10,000.
   */
  private static final int BOUND = 1_000;

  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired WebTestClient client;
  @Autowired MeterRegistry meters;
  @Autowired OperationJournal journal;

  @Test
  void journalStaysBoundedThroughTenThousandOperationsAndAResumeFromBeforeItIsToldWhatIsGone() {
    // a fresh journal, nothing deleted yet: a resume from 0 is a full replay, without a notice
    String vm = unique("vm");
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(operations.submit(request(SHUTDOWN, vm, "h0"), c -> Mono.just("ok")).block().id());
    }
    first.forEach(this::awaitEnd);
    List<ServerSentEvent<String>> fresh = resume("0", 9);
    assertThat(fresh).extracting(ServerSentEvent::event).doesNotContain("history-lost");
    assertThat(fresh).extracting(ServerSentEvent::id).containsExactlyElementsOf(keptSeqs(9));

    List<Counts> samples = new CopyOnWriteArrayList<>();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(() -> samples.add(counts()), 0, 50, TimeUnit.MILLISECONDS);
    try {
      run(OPERATIONS);
    } finally {
      sampler.shutdown();
    }

    assertThat(samples).as("sampled during the run").hasSizeGreaterThan(5);
    assertThat(samples.stream().mapToLong(Counts::operations).max().orElseThrow())
        .as("most operations the journal held at once")
        .isLessThanOrEqualTo(BOUND);
    assertThat(samples.stream().mapToLong(Counts::hosts).max().orElseThrow())
        .as("most operation_hosts rows at once")
        .isLessThanOrEqualTo(BOUND);
    assertThat(samples.stream().mapToLong(Counts::events).max().orElseThrow())
        .as("most events at once")
        .isLessThanOrEqualTo(3 * BOUND);
    // once all have ended, the next run leaves exactly the newest KEPT
    awaitPrunedToKept();
    assertThat(meters.get("virtflux.journal.pruned").tag("table", "operations").counter().count())
        .isEqualTo(OPERATIONS + 3 - KEPT);

    // a resume from before what was deleted: told first, then every kept event, in order
    long prunedThrough = prunedThrough();
    List<String> kept = keptSeqs(3 * KEPT);
    assertThat(Long.parseLong(kept.get(0))).isLessThanOrEqualTo(prunedThrough + 1);
    List<ServerSentEvent<String>> resumed = resume("1", 1 + kept.size());
    assertThat(resumed.get(0).event()).isEqualTo("history-lost");
    assertThat(resumed.get(0).id()).isNull();
    assertThat(JSON.readValue(resumed.get(0).data(), Map.class))
        .isEqualTo(Map.of("lastEventId", 1, "keptFrom", (int) (prunedThrough + 1)));
    assertThat(resumed.subList(1, resumed.size()))
        .extracting(ServerSentEvent::id)
        .containsExactlyElementsOf(kept);

    // a resume from the last deleted id on misses nothing: no notice
    List<String> after =
        kept.stream().filter(seq -> Long.parseLong(seq) > prunedThrough).limit(5).toList();
    List<ServerSentEvent<String>> fromWatermark = resume(Long.toString(prunedThrough), 5);
    assertThat(fromWatermark).extracting(ServerSentEvent::id).containsExactlyElementsOf(after);
  }

  /**
   * Journals {@code count} operations, {@link #IN_FLIGHT} at a time, each as the pipeline does:
   * QUEUED, RUNNING, SUCCEEDED, three writes one after the other, across the hosts. (Straight to
   * the journal: lanes and libvirt add nothing to what retention sees, and cost most of the time.)
   */
  /**
   * Waits until retention left exactly the newest {@link #KEPT} operations and their events; on a
   * timeout, fails with what the journal holds (its phases), so that a slow run and a stuck one can
   * be told apart.
   */
  private void awaitPrunedToKept() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Counts last = counts();
    while (last.operations() != KEPT || last.events() != 3L * KEPT) {
      if (System.nanoTime() > deadline) {
        Map<String, Long> phases =
            db.sql("SELECT phase, COUNT(*) AS n FROM operations GROUP BY phase")
                .map(row -> Map.entry(row.get("phase", String.class), row.get("n", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block(PATIENCE);
        throw new AssertionError(
            "retention did not leave "
                + KEPT
                + " operations and "
                + 3 * KEPT
                + " events within 60 s: "
                + last
                + ", operations by phase "
                + phases);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      last = counts();
    }
  }

  private void run(int count) {
    Flux.range(0, count)
        .flatMap(
            i -> {
              Operation queued =
                  Operation.queued(
                      UUID.randomUUID().toString(),
                      request(SHUTDOWN, "vm-" + i, "h" + (i % HOSTS)),
                      Instant.now());
              return journal
                  .create(queued, null, Instant.EPOCH, null, created -> {})
                  .map(OperationJournal.Keyed::operation)
                  .flatMap(created -> journal.update(created.id(), op -> op.running(Instant.now())))
                  .flatMap(
                      running ->
                          journal.update(running.id(), op -> op.succeeded("ok", Instant.now())));
            },
            IN_FLIGHT)
        .then()
        .block(Duration.ofMinutes(2));
  }

  /** The first {@code count} non-comment events of a stream resumed from {@code lastEventId}. */
  private List<ServerSentEvent<String>> resume(String lastEventId, int count) {
    return client
        .get()
        .uri("/api/v1/events")
        .header("Last-Event-ID", lastEventId)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(SSE)
        .getResponseBody()
        .filter(event -> event.comment() == null)
        .take(count)
        .collectList()
        .block(PATIENCE);
  }

  private List<String> keptSeqs(int limit) {
    return db.sql("SELECT seq FROM operation_events ORDER BY seq LIMIT :limit")
        .bind("limit", limit)
        .map(row -> String.valueOf(row.get("seq", Long.class)))
        .all()
        .collectList()
        .block(PATIENCE);
  }

  private long prunedThrough() {
    return db.sql("SELECT pruned_through FROM journal_retention")
        .map(row -> row.get("pruned_through", Long.class))
        .one()
        .block(PATIENCE);
  }

  private Counts counts() {
    return db.sql(
            "SELECT (SELECT COUNT(*) FROM operations) AS ops,"
                + " (SELECT COUNT(*) FROM operation_hosts) AS hosts,"
                + " (SELECT COUNT(*) FROM operation_events) AS events")
        .map(
            row ->
                new Counts(
                    row.get("ops", Long.class),
                    row.get("hosts", Long.class),
                    row.get("events", Long.class)))
        .one()
        .block(PATIENCE);
  }

  private record Counts(long operations, long hosts, long events) {}
}
