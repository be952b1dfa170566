package io.virtflux.operation.journal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps the journal from growing without bound ({@link RetentionProperties}): every {@code
 * interval}, deletes the finished operations past {@code max-age} or {@code max-operations} and the
 * VM and host events past {@code max-age}, in batches ({@link JournalPruner}).
 *
 * <p>Each batch is one write of {@link JournalWriter}, queued behind the writes already waiting:
 * the journal's other writers wait for one batch at most, and deletes never race with the writes of
 * the same rows (they all run on the writer's thread). The next batch is queued only once the
 * previous committed, so writes submitted meanwhile go first.
 *
 * <p>Meter: {@code virtflux.journal.pruned} (counter), rows deleted, by {@code table} ({@code
 * operations}, {@code events}).
 */
@Component
final class JournalRetention implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JournalRetention.class);

  private final JournalWriter writes;
  private final RetentionProperties retention;
  private final JournalPruner pruner;
  private final Clock clock = Clock.systemUTC();
  private final Counter prunedOperations;
  private final Counter prunedEvents;
  private volatile @Nullable Disposable schedule;
  private volatile boolean running;

  JournalRetention(JournalWriter writes, RetentionProperties retention, MeterRegistry registry) {
    this.writes = writes;
    this.retention = retention;
    this.pruner = new JournalPruner(retention);
    this.prunedOperations = pruned(registry, "operations");
    this.prunedEvents = pruned(registry, "events");
  }

  /** What one round deleted. */
  record Round(long operations, long events, long prunedThrough) {

    static final Round NONE = new Round(0, 0, 0);

    Round plus(JournalPruner.Batch batch) {
      return new Round(
          operations + batch.operations(),
          events + batch.events(),
          Math.max(prunedThrough, batch.prunedThrough()));
    }
  }

  /**
   * Deletes everything past the limits now, batch after batch until nothing is left; emits what it
   * deleted. The periodic schedule calls this; so can a test.
   */
  Mono<Round> round() {
    Instant cutoff = clock.instant().minus(retention.maxAge());
    return batch(cutoff, 0)
        .expand(done -> done.more() ? batch(cutoff, done.cursor()) : Mono.empty())
        .reduce(Round.NONE, Round::plus)
        .doOnNext(
            round -> {
              if (round.operations() + round.events() > 0) {
                log.info(
                    "journal retention deleted {} operations and {} events (events up to id {})",
                    round.operations(),
                    round.events(),
                    round.prunedThrough());
              }
            });
  }

  private Mono<JournalPruner.Batch> batch(Instant cutoff, long cursor) {
    return writes.submit(sql -> pruner.run(sql, cutoff, cursor), this::counted);
  }

  /** After the batch committed: counts and logs what it deleted. */
  private void counted(JournalPruner.Batch batch) {
    prunedOperations.increment(batch.operations());
    prunedEvents.increment(batch.events());
    if (batch.operations() + batch.events() > 0) {
      log.debug(
          "journal retention batch: {} operations, {} events deleted",
          batch.operations(),
          batch.events());
    }
  }

  @Override
  public void start() {
    running = true;
    if (!retention.enabled()) {
      log.info("journal retention is off: the journal keeps every operation and event");
      return;
    }
    schedule =
        Flux.interval(retention.interval(), retention.interval())
            // a round that outlasts the interval is not followed by a burst of catch-up rounds
            .onBackpressureDrop()
            .concatMap(
                tick ->
                    round()
                        .onErrorResume(
                            error -> {
                              // the journal's trouble shows in readiness; the next round retries
                              log.warn("journal retention round failed: {}", error.toString());
                              return Mono.empty();
                            }),
                1)
            .subscribe();
  }

  @Override
  public void stop() {
    running = false;
    Disposable running = schedule;
    if (running != null) {
      running.dispose();
      schedule = null;
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private static Counter pruned(MeterRegistry registry, String table) {
    return Counter.builder("virtflux.journal.pruned")
        .description("journal rows deleted by retention")
        .tag("table", table)
        .register(registry);
  }
}
