package io.virtflux.operation;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * The SSE streams of operation events: replay from the journal, then live, without gaps or
 * duplicates.
 *
 * <p>How: the live tail is opened (and starts buffering) before the journal is read, so an event
 * committed while the replay runs is in one or the other, or both; events are then passed on only
 * when their seq is above the last one sent. Seqs are published in order ({@link JournalWriter}),
 * so that single comparison removes every duplicate.
 */
@Component
final class OperationEventStreams {

  static final String OVERFLOW = "overflow";

  /**
   * Events in flight between a subscriber's live tail and its delivery. Delivery (SSE encoding and
   * the socket write) runs on Reactor's parallel threads, not on the journal's writer, which only
   * queues each event into every tail: with a thousand subscribers, delivering inline made the
   * writer spend ~100 ms per event and every operation wait for that ({@code dev/bench},
   * "subscribers").
   */
  private static final int DELIVERY_PREFETCH = 8;

  private static final int REPLAY_PAGE = 500;

  private final OperationJournal journal;
  private final LiveEvents live;
  private final EventProperties properties;

  OperationEventStreams(OperationJournal journal, LiveEvents live, EventProperties properties) {
    this.journal = journal;
    this.live = live;
    this.properties = properties;
  }

  /**
   * Every matching event: those after {@code lastSeq} from the journal (none when null), then live.
   * A subscriber too slow for its buffer gets a final {@code overflow} event whose data is the last
   * seq it was sent, and the stream ends.
   */
  Flux<ServerSentEvent<String>> all(
      OperationFilter filter, boolean operations, boolean vms, @Nullable Long lastSeq) {
    Flux<JournalEvent> replay =
        lastSeq == null
            ? Flux.empty()
            : pages(
                after -> journal.eventsAfter(after, filter, operations, vms, REPLAY_PAGE),
                lastSeq,
                REPLAY_PAGE);
    Predicate<JournalEvent> wanted =
        event -> (event.operation() != null ? operations : vms) && filter.matches(event);
    return stream(wanted, replay, lastSeq == null ? 0 : lastSeq, event -> false);
  }

  /** One operation's events from its first, ending after its terminal event. */
  Flux<ServerSentEvent<String>> of(String operationId) {
    Flux<JournalEvent> replay =
        pages(after -> journal.eventsOf(operationId, after, REPLAY_PAGE), 0, REPLAY_PAGE);
    return stream(
        event -> event.operation() != null && event.operation().id().equals(operationId),
        replay,
        0,
        JournalEvent::terminal);
  }

  /**
   * {@code replay}, then the live events matching {@code filter}, each once, in seq order, after
   * {@code lastSeq}; ends after the first event that is {@code last}.
   */
  Flux<ServerSentEvent<String>> stream(
      Predicate<JournalEvent> filter,
      Flux<JournalEvent> replay,
      long lastSeq,
      Predicate<JournalEvent> last) {
    return Flux.using(
        () -> live.open(filter, properties.subscriberBuffer()),
        tail -> {
          AtomicLong sent = new AtomicLong(lastSeq);
          Flux<ServerSentEvent<String>> events =
              Flux.concat(replay, tail.events().publishOn(Schedulers.parallel(), DELIVERY_PREFETCH))
                  .filter(event -> event.seq() > sent.get())
                  .doOnNext(event -> sent.set(event.seq()))
                  .takeUntil(last)
                  .map(OperationEventStreams::sse)
                  .onErrorResume(Exceptions::isOverflow, overflow -> Flux.just(overflow(sent)));
          // sent once the tail is open: whoever saw it cannot miss a later event
          return withHeartbeats(events).startWith(comment("connected"));
        },
        LiveEvents.Tail::close);
  }

  /**
   * A heartbeat comment while the stream lasts, so that proxies keep an idle stream open. (The
   * comment at once is {@code connected}: WebFlux sends the headers only with the first element.)
   */
  private Flux<ServerSentEvent<String>> withHeartbeats(Flux<ServerSentEvent<String>> events) {
    return events.publish(
        shared ->
            Flux.merge(
                shared,
                Flux.interval(properties.heartbeat())
                    .map(tick -> comment("heartbeat"))
                    .takeUntilOther(shared.ignoreElements())),
        // a small prefetch: the subscriber's buffer is the live tail's, not this operator's
        Queues.XS_BUFFER_SIZE);
  }

  /** Reads the journal page by page, so a long replay never sits in memory at once. */
  static Flux<JournalEvent> pages(LongFunction<Flux<JournalEvent>> page, long after, int pageSize) {
    return page.apply(after)
        .collectList()
        .flatMapMany(
            events ->
                events.size() < pageSize
                    ? Flux.fromIterable(events)
                    : Flux.fromIterable(events)
                        .concatWith(
                            Flux.defer(
                                () -> pages(page, events.get(events.size() - 1).seq(), pageSize))));
  }

  private static ServerSentEvent<String> sse(JournalEvent event) {
    return ServerSentEvent.builder(event.json())
        .id(Long.toString(event.seq()))
        .event(event.type())
        .build();
  }

  private static ServerSentEvent<String> overflow(AtomicLong sent) {
    return ServerSentEvent.<String>builder()
        .event(OVERFLOW)
        .data(Long.toString(sent.get()))
        .build();
  }

  private static ServerSentEvent<String> comment(String text) {
    return ServerSentEvent.<String>builder().comment(text).build();
  }
}
