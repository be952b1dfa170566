package io.virtflux.operation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Fan-out of journaled events to live subscribers. Each subscriber has its own bounded queue (a
 * {@link Tail}): a slow one fills only its own queue, and when that overflows it is ended with an
 * overflow error instead of holding back the journal or the other subscribers.
 *
 * <p>{@link #publish} is called by the journal's single writer, one event at a time in sequence
 * order: emission into the queues is serialised by construction.
 */
@Component
final class LiveEvents {

  private final Set<Tail> tails = ConcurrentHashMap.newKeySet();

  void publish(JournalEvent event) {
    tails.forEach(tail -> tail.offer(event));
  }

  /**
   * Starts buffering the matching events published from now on. The caller must {@link
   * Tail#close()} it.
   */
  Tail open(Predicate<JournalEvent> filter, int capacity) {
    Tail tail = new Tail(filter, capacity);
    tails.add(tail);
    return tail;
  }

  int subscribers() {
    return tails.size();
  }

  /** One subscriber's live queue. */
  final class Tail implements AutoCloseable {

    private final Predicate<JournalEvent> filter;
    private final Sinks.Many<JournalEvent> queue;

    private Tail(Predicate<JournalEvent> filter, int capacity) {
      this.filter = filter;
      this.queue =
          Sinks.many().unicast().onBackpressureBuffer(Queues.<JournalEvent>get(capacity).get());
    }

    /** The buffered events, then the live ones; errors with an overflow when the queue was full. */
    Flux<JournalEvent> events() {
      return queue.asFlux();
    }

    private void offer(JournalEvent event) {
      if (!filter.test(event)) {
        return;
      }
      Sinks.EmitResult result = queue.tryEmitNext(event);
      if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
        close();
        queue.tryEmitError(
            Exceptions.failWithOverflow("subscriber too slow: reconnect with Last-Event-ID"));
      } else if (result.isFailure()) {
        close();
      }
    }

    @Override
    public void close() {
      tails.remove(this);
    }
  }
}
