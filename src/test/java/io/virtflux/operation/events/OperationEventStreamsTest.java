package io.virtflux.operation.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.virtflux.operation.OperationFilter;
import io.virtflux.operation.journal.JournalEvent;
import io.virtflux.operation.journal.OperationJournal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The streams' mechanics, with the journal replaced by fixed replays: no database, no HTTP. */
class OperationEventStreamsTest {

  private static final Duration HEARTBEAT = Duration.ofSeconds(15);
  private static final Predicate<JournalEvent> EVERYTHING = op -> true;

  // batching from the first stream, so that its paths run here
  private final EventProperties properties =
      new EventProperties(HEARTBEAT, 16, Duration.ofMillis(5), 0);
  private final LiveEvents live = new LiveEvents(properties);
  private final OperationEventStreams streams =
      new OperationEventStreams(mock(OperationJournal.class), live, properties);

  @Test
  void liveEventsAlsoFoundByTheReplayAreSentOnceInSeqOrder() {
    // the replay is held back until live events it also contains were buffered: the overlap that
    // a reconnect racing with new events produces
    Sinks.Empty<Void> replayReady = Sinks.empty();
    Flux<List<JournalEvent>> replay =
        replayReady
            .asMono()
            .thenMany(Flux.just(List.of(TestEvents.queued(11), TestEvents.queued(12))));

    StepVerifier.create(
            stream(EVERYTHING, replay, 10, e -> false, DeliveryThread.of(Schedulers.parallel())))
        .expectNextMatches(sse -> "connected".equals(sse.comment()))
        .then(
            () -> {
              live.committed(TestEvents.queued(12));
              live.committed(TestEvents.queued(13));
              replayReady.tryEmitEmpty();
            })
        .assertNext(sse -> assertThat(sse.id()).isEqualTo("11"))
        .assertNext(sse -> assertThat(sse.id()).isEqualTo("12"))
        .assertNext(sse -> assertThat(sse.id()).isEqualTo("13"))
        .then(() -> live.committed(TestEvents.queued(14)))
        .assertNext(sse -> assertThat(sse.id()).isEqualTo("14"))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void eventsPublishedWhileTheReplayRunsAreNotLost() {
    Sinks.Empty<Void> replayReady = Sinks.empty();
    Flux<List<JournalEvent>> replay =
        replayReady.asMono().thenMany(Flux.just(List.of(TestEvents.queued(11))));

    StepVerifier.create(
            stream(EVERYTHING, replay, 10, e -> false, DeliveryThread.of(Schedulers.parallel())))
        .expectNextMatches(sse -> "connected".equals(sse.comment()))
        .then(
            () -> {
              live.committed(TestEvents.queued(12));
              replayReady.tryEmitEmpty();
            })
        .assertNext(sse -> assertThat(sse.id()).isEqualTo("11"))
        .assertNext(sse -> assertThat(sse.id()).isEqualTo("12"))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void streamEndsAfterTheLastEventAndClosesItsTail() {
    StepVerifier.create(
            stream(
                EVERYTHING,
                Flux.just(List.of(TestEvents.queued(1), TestEvents.queued(2))),
                0,
                e -> e.seq() == 3,
                DeliveryThread.of(Schedulers.parallel())))
        .expectNextMatches(sse -> "connected".equals(sse.comment()))
        .expectNextCount(2)
        .then(
            () -> {
              live.committed(TestEvents.queued(3));
              live.committed(TestEvents.queued(4));
            })
        .assertNext(sse -> assertThat(sse.id()).isEqualTo("3"))
        .verifyComplete();
    assertThat(live.subscribers()).isZero();
  }

  @Test
  void idleStreamGetsAHeartbeatCommentEveryInterval() {
    StepVerifier.withVirtualTime(
            () ->
                all(
                    OperationFilter.ALL,
                    true,
                    true,
                    null,
                    DeliveryThread.of(Schedulers.parallel())))
        .expectNextMatches(sse -> "connected".equals(sse.comment()))
        .expectNoEvent(HEARTBEAT.minusSeconds(1))
        .thenAwait(Duration.ofSeconds(1))
        .expectNextMatches(sse -> "heartbeat".equals(sse.comment()))
        .thenAwait(HEARTBEAT)
        .expectNextMatches(sse -> "heartbeat".equals(sse.comment()))
        .thenCancel()
        .verify(Duration.ofSeconds(5));
  }

  @Test
  void slowSubscriberGetsAnOverflowNamingTheLastSeqItWasSentWhileAFastOneGetsAll() {
    int count = 1_000;
    List<SseFrame> slow = new ArrayList<>();
    List<String> fast = new CopyOnWriteArrayList<>();
    all(OperationFilter.ALL, true, true, null, DeliveryThread.of(Schedulers.parallel()))
        .filter(sse -> sse.id() != null)
        .subscribe(sse -> fast.add(sse.id()));

    StepVerifier.create(
            all(OperationFilter.ALL, true, true, null, DeliveryThread.of(Schedulers.parallel()))
                .doOnNext(slow::add),
            1)
        .expectNextMatches(sse -> "connected".equals(sse.comment()))
        .then(
            () ->
                LongStream.rangeClosed(1, count)
                    .forEach(
                        seq -> {
                          // delivery is asynchronous: keep the fast one within its buffer, as a
                          // subscriber that keeps up is
                          while (fast.size() < seq - 8) {
                            Thread.onSpinWait();
                          }
                          live.committed(TestEvents.queued(seq));
                        }))
        .thenRequest(Long.MAX_VALUE)
        .thenConsumeWhile(sse -> !"overflow".equals(sse.event()))
        .expectNextMatches(sse -> "overflow".equals(sse.event()))
        .verifyComplete();

    List<String> slowIds = slow.stream().map(SseFrame::id).filter(id -> id != null).toList();
    assertThat(slowIds).isNotEmpty().hasSizeLessThan(count);
    assertThat(slowIds)
        .isEqualTo(LongStream.rangeClosed(1, slowIds.size()).mapToObj(Long::toString).toList());
    assertThat(slow.get(slow.size() - 1).data()).isEqualTo(slowIds.get(slowIds.size() - 1));
    // the fast one's last batch may still be on its way (batch window)
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (fast.size() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(fast).hasSize(count);
    assertThat(live.subscribers()).as("only the fast subscriber is left").isEqualTo(1);
  }

  @Test
  void replayReadsPageAfterPageUntilAShortOne() {
    List<JournalEvent> journal =
        LongStream.rangeClosed(1, 1234).mapToObj(TestEvents::queued).toList();
    List<Long> asked = new ArrayList<>();

    Flux<List<JournalEvent>> replay =
        OperationEventStreams.pages(
            after -> {
              asked.add(after);
              return Flux.fromIterable(journal).filter(e -> e.seq() > after).take(500);
            },
            0,
            500);

    StepVerifier.create(replay.flatMapIterable(page -> page).map(JournalEvent::seq))
        .expectNextSequence(LongStream.rangeClosed(1, 1234).boxed().toList())
        .verifyComplete();
    assertThat(asked).containsExactly(0L, 500L, 1000L);
  }

  @Test
  void aResumeFromBelowWhatRetentionDeletedStartsWithHistoryLostNamingTheFirstIdKeptInFull() {
    List<JournalEvent> kept = List.of(TestEvents.queued(7), TestEvents.queued(51));

    StepVerifier.create(
            OperationEventStreams.resumed(
                    after -> Flux.fromIterable(kept).filter(e -> e.seq() > after),
                    Mono.just(50L),
                    3,
                    500)
                .flatMapIterable(page -> page)
                .map(LiveEvents.Delivery::frame))
        .assertNext(
            frame -> {
              assertThat(frame.event()).isEqualTo(OperationEventStreams.HISTORY_LOST);
              assertThat(frame.id()).isNull();
              assertThat(frame.data()).isEqualTo("{\"lastEventId\":3,\"keptFrom\":51}");
            })
        .assertNext(frame -> assertThat(frame.id()).isEqualTo("7"))
        .assertNext(frame -> assertThat(frame.id()).isEqualTo("51"))
        .verifyComplete();
  }

  @Test
  void aResumeIsNotToldOfLostHistoryWhenNothingWasDeletedOrOnlyWhatItSawAlready() {
    List<JournalEvent> journal = List.of(TestEvents.queued(1), TestEvents.queued(2));
    for (long[] resume : new long[][] {{0, 0}, {-1, 0}, {1, 1}, {5, 3}}) {
      List<String> names =
          OperationEventStreams.resumed(
                  after -> Flux.fromIterable(journal).filter(e -> e.seq() > after),
                  Mono.just(resume[1]),
                  resume[0],
                  500)
              .flatMapIterable(page -> page)
              .map(delivery -> String.valueOf(delivery.frame().event()))
              .collectList()
              .block(Duration.ofSeconds(5));
      assertThat(names)
          .as("Last-Event-ID %d, deleted through %d", resume[0], resume[1])
          .doesNotContain(OperationEventStreams.HISTORY_LOST);
    }
  }

  @Test
  void eventsDeletedWhileAReplayRunsAreToldBeforeThePageThatMissesThemOnce() {
    List<JournalEvent> journal =
        LongStream.rangeClosed(1, 25).mapToObj(TestEvents::queued).toList();
    // deleted through 15 once the first page (1..10) was read; read again after every page
    AtomicLong watermark = new AtomicLong();

    StepVerifier.create(
            OperationEventStreams.resumed(
                    after ->
                        Flux.fromIterable(journal)
                            .filter(e -> e.seq() > Math.max(after, watermark.get()))
                            .take(10),
                    Mono.fromSupplier(watermark::get)
                        .doOnNext(seen -> watermark.compareAndSet(0, 15)),
                    0,
                    10)
                .flatMapIterable(page -> page)
                .map(delivery -> String.valueOf(delivery.frame().id())))
        .expectNextSequence(LongStream.rangeClosed(1, 10).mapToObj(Long::toString).toList())
        .expectNext("null")
        .expectNextSequence(LongStream.rangeClosed(16, 25).mapToObj(Long::toString).toList())
        .verifyComplete();
  }

  /** The stream's frames one by one, as a client reads them, with backpressure kept. */
  private Flux<SseFrame> stream(
      Predicate<JournalEvent> filter,
      Flux<List<JournalEvent>> replay,
      long lastSeq,
      Predicate<JournalEvent> last,
      DeliveryThread delivery) {
    return streams.stream(filter, replay, lastSeq, last, delivery).concatMapIterable(b -> b, 1);
  }

  private Flux<SseFrame> all(
      OperationFilter filter,
      boolean operations,
      boolean vms,
      @Nullable Long lastSeq,
      DeliveryThread delivery) {
    return streams
        .all(filter, operations, vms, true, lastSeq, delivery)
        .concatMapIterable(b -> b, 1);
  }
}
