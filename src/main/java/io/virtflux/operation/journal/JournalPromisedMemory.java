package io.virtflux.operation.journal;

import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.Phase;
import io.virtflux.operation.PromisedMemory;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The memory promised to deploys as the shared journal holds it ({@link DeployLedger}), kept as the
 * rows of the deploys that hold memory and read again by each placement and whenever any replica's
 * DEPLOY changes (its events come through the {@link EventTail}), so that the hosts' figures follow
 * the other replicas' deploys too.
 */
@Component
@ConditionalOnExpression(SharedJournal.CONDITION)
final class JournalPromisedMemory implements PromisedMemory, JournalListener {

  private static final Logger log = LoggerFactory.getLogger(JournalPromisedMemory.class);

  /** A deploy that held memory when last read. */
  record Held(String host, Phase phase, @Nullable Instant finishedAt, long memoryMiB) {}

  private final DatabaseClient db;
  private final Scheduler readers;

  private volatile List<Held> held = List.of();
  // the earliest end a refresh must read: the oldest reading any host's figure counts from
  private volatile Instant since = Instant.now();
  // one refresh at a time for the events; one asked meanwhile runs after it
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  JournalPromisedMemory(DatabaseClient db, JournalThreads threads) {
    this.db = db;
    this.readers = threads.readers();
  }

  @Override
  public long promisedMiB(String host, @Nullable Instant readingFrom) {
    return promisedMiB(held, host, readingFrom);
  }

  /** The memory {@code rows} promise on {@code host}, for its reading from {@code readingFrom}. */
  static long promisedMiB(List<Held> rows, String host, @Nullable Instant readingFrom) {
    return rows.stream()
        .filter(h -> h.host().equals(host))
        .filter(h -> DeployLedger.holds(h.phase(), h.finishedAt(), readingFrom))
        .mapToLong(Held::memoryMiB)
        .sum();
  }

  @Override
  public Mono<Void> refresh(Instant since) {
    this.since = since;
    return read(since);
  }

  private Mono<Void> read(Instant from) {
    return db.sql(
            "SELECT h.host, o.phase, o.finished_at, o.memory_mib"
                + " FROM operations o JOIN operation_hosts h ON h.operation_id = o.id"
                + " WHERE "
                + DeployLedger.HOLDING.replace("?", ":since"))
        .bind("since", from)
        .map(
            row ->
                new Held(
                    row.get("host", String.class),
                    Phase.valueOf(row.get("phase", String.class)),
                    row.get("finished_at", Instant.class),
                    row.get("memory_mib", Long.class)))
        .all()
        .collectList()
        .doOnNext(rows -> held = List.copyOf(rows))
        .subscribeOn(readers)
        .publishOn(readers)
        .then();
  }

  /** Any replica's DEPLOY changed: the figures are read again (at most one read at a time). */
  @Override
  public void committed(JournalEvent event) {
    Operation operation = event.operation();
    if (operation == null || operation.kind() != OperationKind.DEPLOY) {
      return;
    }
    again.set(true);
    drain();
  }

  private void drain() {
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    if (!again.getAndSet(false)) {
      refreshing.set(false);
      return;
    }
    read(since)
        .doOnError(e -> log.debug("reading the memory promised to deploys", e))
        .onErrorComplete()
        .doFinally(
            signal -> {
              refreshing.set(false);
              if (again.get()) {
                drain();
              }
            })
        .subscribe();
  }

  @Override
  public boolean everyReplica() {
    return true;
  }
}
