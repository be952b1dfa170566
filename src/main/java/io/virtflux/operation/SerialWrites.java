package io.virtflux.operation;

import java.time.Duration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Runs the journal's writes one at a time, in the order they were submitted, on one thread.
 *
 * <p>Why one at a time: an event's seq is assigned by the database when it is inserted, and events
 * are published to live subscribers after commit. Two concurrent writes could commit and publish
 * seq 11 before seq 10, and a subscriber reconnecting with {@code Last-Event-ID: 11} would never
 * see 10. Writing serially makes the publication order the seq order, so "replay after N, then
 * live" has no gaps. The writes run on {@link JournalThreads#writer()}.
 *
 * <p>A submitted write runs to its end even when the caller stops listening: once an operation is
 * accepted, its journal must not depend on an HTTP client staying connected.
 */
@Component
final class SerialWrites implements DisposableBean {

  /** Bounds one write, so that a hung database call cannot stall the journal for good. */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final Sinks.Many<Mono<?>> queue = Sinks.many().unicast().onBackpressureBuffer();
  private final Disposable worker;

  SerialWrites(JournalThreads threads) {
    this.worker = queue.asFlux().publishOn(threads.writer()).concatMap(write -> write).subscribe();
  }

  /** Queues {@code write}; the returned Mono signals what it signalled. */
  <T> Mono<T> submit(Mono<T> write) {
    return Mono.create(
        caller ->
            // submitters on other threads contend only for the instant of an enqueue
            queue.emitNext(
                write
                    .timeout(WRITE_TIMEOUT)
                    .doOnSuccess(caller::success)
                    .doOnError(caller::error)
                    .onErrorComplete(),
                Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1))));
  }

  @Override
  public void destroy() {
    worker.dispose();
  }
}
