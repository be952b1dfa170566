package io.virtflux.bench;

import java.time.Instant;
import reactor.core.publisher.Mono;

/**
 * One way of reading an operation from the journal by id, as the service's {@code OperationJournal}
 * does ({@code SELECT <its columns> FROM operations o WHERE o.id = ?}), for the journal-read probe
 * to compare.
 */
interface JournalReads extends AutoCloseable {

  /** The service's columns of one operation, as OperationJournal selects them. */
  String SELECT =
      "SELECT o.id, o.kind, o.vm, o.hosts, o.phase, o.created_at, o.started_at, o.finished_at,"
          + " o.progress, o.result, o.error, o.requested_by FROM operations o WHERE o.id = ";

  /** What the probe names this path in the results. */
  String name();

  /** The operation {@code id}; empty when there is none. */
  Mono<OperationRow> read(String id);

  @Override
  void close() throws Exception;

  /** One row, mapped to the types the service maps it to (timestamps as Instant). */
  record OperationRow(
      String id,
      String kind,
      String vm,
      String hosts,
      String phase,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String progress,
      String result,
      String error,
      String requestedBy) {}
}
