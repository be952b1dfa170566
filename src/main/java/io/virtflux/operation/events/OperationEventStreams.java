package io.virtflux.operation.events;

import io.virtflux.operation.HostEvent;
import io.virtflux.operation.OperationFilter;
import io.virtflux.operation.VmEvent;
import io.virtflux.operation.journal.JournalEvent;
import io.virtflux.operation.journal.JournalListener;
import io.virtflux.operation.journal.OperationJournal;
import io.virtflux.operation.journal.RetentionProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.publisher.SynchronousSink;

/**
 * The SSE streams of operation events: replay from the journal, then live, without gaps or
 * duplicates.
 *
 * <p>How: the live tail is opened (and starts buffering) before the journal is read, so an event
 * committed while the replay runs is in one or the other, or both; events are then passed on only
 * when their seq is above the last one sent. Seqs are published in order ({@link JournalListener}),
 * so that single comparison removes every duplicate.
 */
@Component
public final class OperationEventStreams {

  static final String OVERFLOW = "overflow";

  /**
   * The event that tells a resuming subscriber that retention deleted events it has not seen
   * ({@link RetentionProperties}): data {@code {"lastEventId":L,"keptFrom":N}}, every event after L
   * and before N may be gone (those of operations that have not finished are kept, and follow);
   * every event from N on follows. No id: the client's Last-Event-ID stays where it was.
   */
  static final String HISTORY_LOST = "history-lost";

  private static final List<SseFrame> CONNECTED = List.of(SseFrame.comment("connected"));

  private static final List<SseFrame> HEARTBEAT = List.of(SseFrame.comment("heartbeat"));

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
  public Flux<List<SseFrame>> all(
      OperationFilter filter,
      boolean operations,
      boolean vms,
      boolean hosts,
      @Nullable Long lastSeq,
      DeliveryThread delivery) {
    Flux<List<LiveEvents.Delivery>> replay =
        lastSeq == null
            ? Flux.empty()
            : resumed(
                after -> journal.eventsAfter(after, filter, operations, vms, hosts, REPLAY_PAGE),
                journal.prunedThrough(),
                lastSeq,
                REPLAY_PAGE);
    Predicate<JournalEvent> wanted =
        event ->
            (event.operation() != null ? operations : event.vm() != null ? vms : hosts)
                && matches(filter, event);
    return deliver(wanted, replay, lastSeq == null ? 0 : lastSeq, event -> false, delivery);
  }

  /**
   * Whether {@code filter} wants {@code event}: an operation event when its operation matches; a VM
   * event when its host and VM match and no kind or phase is asked for (VM events have neither); a
   * host event when its host matches and no VM, kind or phase is asked for. Here, not on {@link
   * OperationFilter}: the filter belongs to the API features use, which must not know the journal's
   * events.
   */
  private static boolean matches(OperationFilter filter, JournalEvent event) {
    if (event.operation() != null) {
      return filter.matches(event.operation());
    }
    String host = filter.host();
    String vm = filter.vm();
    boolean operationsOnly = filter.kind() != null || filter.phase() != null;
    HostEvent h = event.hostEvent();
    if (h != null) {
      return !operationsOnly && vm == null && (host == null || host.equals(h.host()));
    }
    VmEvent e = event.vm();
    return e != null
        && !operationsOnly
        && (host == null || host.equals(e.host()))
        && (vm == null || vm.equals(e.vm()));
  }

  /** One operation's events from its first, ending after its terminal event. */
  public Flux<List<SseFrame>> of(String operationId, DeliveryThread delivery) {
    Flux<List<JournalEvent>> replay =
        pages(after -> journal.eventsOf(operationId, after, REPLAY_PAGE), 0, REPLAY_PAGE);
    return stream(
        event -> event.operation() != null && event.operation().id().equals(operationId),
        replay,
        0,
        JournalEvent::terminal,
        delivery);
  }

  /**
   * {@code replay}, then the live events matching {@code filter}, each once, in seq order, after
   * {@code lastSeq}; ends after the first event that is {@code last}. Live events reach the
   * subscriber on {@code delivery}.
   *
   * <p>The frames come in batches, each written to the connection at once: a replay page, or the
   * live events that queued up since the last write. Per element, a stream's operators and Netty's
   * pipeline cost more than the element's bytes, so they run per batch.
   */
  Flux<List<SseFrame>> stream(
      Predicate<JournalEvent> filter,
      Flux<List<JournalEvent>> replay,
      long lastSeq,
      Predicate<JournalEvent> last,
      DeliveryThread delivery) {
    return deliver(filter, replay.map(LiveEvents.Delivery::page), lastSeq, last, delivery);
  }

  /** As {@link #stream}, with a replay that may also hold notices (see {@link #resumed}). */
  private Flux<List<SseFrame>> deliver(
      Predicate<JournalEvent> filter,
      Flux<List<LiveEvents.Delivery>> replay,
      long lastSeq,
      Predicate<JournalEvent> last,
      DeliveryThread delivery) {
    return Flux.using(
        () -> live.open(filter, delivery),
        tail -> {
          AtomicLong sent = new AtomicLong(lastSeq);
          Flux<List<SseFrame>> events =
              Flux.concat(replay, tail.events())
                  .<List<SseFrame>>handle((batch, sink) -> unsent(batch, sent, last, sink))
                  .onErrorResume(
                      Exceptions::isOverflow, overflow -> Flux.just(List.of(overflow(sent))));
          // sent once the tail is open: whoever saw it cannot miss a later event
          return withHeartbeats(events).startWith(CONNECTED);
        },
        LiveEvents.Tail::close);
  }

  /**
   * Passes on the frames of {@code batch} above the last seq sent (moving it), as one batch if any;
   * completes after the first event that is {@code last}.
   */
  private static void unsent(
      List<LiveEvents.Delivery> batch,
      AtomicLong sent,
      Predicate<JournalEvent> last,
      SynchronousSink<List<SseFrame>> sink) {
    List<SseFrame> frames = new ArrayList<>(batch.size());
    for (LiveEvents.Delivery next : batch) {
      JournalEvent event = next.event();
      if (event == null) {
        frames.add(next.frame());
        continue;
      }
      if (event.seq() <= sent.get()) {
        continue;
      }
      sent.set(event.seq());
      frames.add(next.frame());
      if (last.test(event)) {
        sink.next(frames);
        sink.complete();
        return;
      }
    }
    if (!frames.isEmpty()) {
      sink.next(frames);
    }
  }

  /**
   * A heartbeat comment while the stream lasts, so that proxies keep an idle stream open. (The
   * comment at once is {@code connected}: WebFlux sends the headers only with the first element.)
   * The heartbeats end when the events do, so that a finite stream completes.
   */
  private Flux<List<SseFrame>> withHeartbeats(Flux<List<SseFrame>> events) {
    Sinks.Empty<Void> ended = Sinks.empty();
    return Flux.merge(
        events.doFinally(signal -> ended.tryEmitEmpty()),
        // a client too slow to take heartbeats misses some, rather than its stream failing
        Flux.interval(properties.heartbeat())
            .onBackpressureDrop()
            .map(tick -> HEARTBEAT)
            .takeUntilOther(ended.asMono()));
  }

  /**
   * Reads the journal page by page, so a long replay never sits in memory at once; each page is
   * written to the subscriber as one batch. A short page is the last.
   */
  static Flux<List<JournalEvent>> pages(
      LongFunction<Flux<JournalEvent>> page, long after, int pageSize) {
    return page.apply(after)
        .collectList()
        .expand(
            events ->
                events.size() < pageSize
                    ? Mono.empty()
                    : page.apply(events.get(events.size() - 1).seq()).collectList())
        .filter(events -> !events.isEmpty());
  }

  /**
   * The replay after {@code after}, page by page as {@link #pages}, each page preceded by a {@link
   * #HISTORY_LOST} notice when retention deleted events after the page's start. The watermark is
   * read after the page: a page read before a deletion that took part of it still gets the notice,
   * so a replay is never silently partial. Told once per watermark; with nothing ever deleted
   * (watermark 0), never.
   */
  static Flux<List<LiveEvents.Delivery>> resumed(
      LongFunction<Flux<JournalEvent>> page, Mono<Long> prunedThrough, long after, int pageSize) {
    return Flux.defer(
        () -> {
          AtomicLong told = new AtomicLong();
          LongFunction<Mono<ReplayPage>> read =
              from ->
                  page.apply(from)
                      .collectList()
                      .flatMap(
                          events -> prunedThrough.map(gone -> new ReplayPage(from, events, gone)));
          return read.apply(after)
              .expand(
                  done ->
                      done.events().size() < pageSize
                          ? Mono.empty()
                          : read.apply(done.events().get(done.events().size() - 1).seq()))
              .map(done -> done.deliveries(told))
              .filter(deliveries -> !deliveries.isEmpty());
        });
  }

  /** A replay page read after {@code from}, and the retention watermark read after it. */
  private record ReplayPage(long from, List<JournalEvent> events, long prunedThrough) {

    List<LiveEvents.Delivery> deliveries(AtomicLong told) {
      List<LiveEvents.Delivery> deliveries = new ArrayList<>(events.size() + 1);
      if (prunedThrough > from && prunedThrough > told.get()) {
        told.set(prunedThrough);
        deliveries.add(LiveEvents.Delivery.notice(historyLost(from, prunedThrough + 1)));
      }
      events.forEach(event -> deliveries.add(LiveEvents.Delivery.of(event)));
      return deliveries;
    }
  }

  private static SseFrame historyLost(long lastEventId, long keptFrom) {
    return SseFrame.named(
        HISTORY_LOST, "{\"lastEventId\":" + lastEventId + ",\"keptFrom\":" + keptFrom + "}");
  }

  private static SseFrame overflow(AtomicLong sent) {
    return SseFrame.named(OVERFLOW, Long.toString(sent.get()));
  }
}
