package io.virtflux.operation;

import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The durable record of operations and their events (tables {@code operations}, {@code
 * operation_hosts}, {@code operation_events}; see {@code db/migration}).
 *
 * <p>Every change goes through {@link SerialWrites}: it updates the row, appends an event in the
 * same transaction and, once committed, publishes that event to {@link LiveEvents}. A terminal
 * operation is never changed again, which is what makes "exactly one terminal event" hold however
 * many paths (completion, timeout, cancel, restart) race to end it.
 */
@Component
final class OperationJournal {

  private static final String COLUMNS =
      "o.id, o.kind, o.vm, o.hosts, o.phase, o.created_at, o.started_at, o.finished_at,"
          + " o.progress, o.result, o.error, o.requested_by";

  private final DatabaseClient db;
  private final TransactionalOperator tx;
  private final JournalJson json;
  private final LiveEvents live;
  private final SerialWrites writes;
  private final Scheduler readers;
  private final Clock clock = Clock.systemUTC();
  private final OperationMetrics metrics;

  OperationJournal(
      DatabaseClient db,
      ReactiveTransactionManager transactions,
      JournalJson json,
      LiveEvents live,
      SerialWrites writes,
      JournalThreads threads,
      OperationMetrics metrics) {
    this.metrics = metrics;
    this.db = db;
    this.tx = TransactionalOperator.create(transactions);
    this.json = json;
    this.live = live;
    this.writes = writes;
    this.readers = threads.readers();
  }

  /**
   * Journals a QUEUED operation and its first event, then calls {@code whenCreated} (still inside
   * the write, so it happens even if the caller went away). When {@code principal + key} was seen
   * before, emits that earlier operation instead and calls nothing.
   */
  Mono<Operation> create(
      Operation queued, @Nullable String idempotencyKey, Consumer<Operation> whenCreated) {
    if (idempotencyKey == null) {
      return writes.submit(insert(queued, null).doOnNext(whenCreated));
    }
    Mono<Operation> earlier = byKey(queued.requestedBy(), idempotencyKey);
    return writes.submit(
        earlier
            .switchIfEmpty(Mono.defer(() -> insert(queued, idempotencyKey).doOnNext(whenCreated)))
            // another writer on the same database won the unique (requested_by, key) race
            .onErrorResume(DataIntegrityViolationException.class, e -> earlier));
  }

  /**
   * Applies {@code change} to the operation as journaled now and records the result with an event
   * (a phase change, or PROGRESS when the phase stays). Emits the changed operation, or nothing
   * when the id is unknown, the operation already ended, or {@code change} returned null.
   */
  Mono<Operation> update(String id, Function<Operation, @Nullable Operation> change) {
    Mono<JournalEvent> readModifyWrite =
        select(id)
            .filter(current -> !current.phase().terminal())
            .flatMap(
                current -> {
                  Operation next = change.apply(current);
                  if (next == null) {
                    return Mono.empty();
                  }
                  String type = next.phase() == current.phase() ? "PROGRESS" : next.phase().name();
                  return updateRow(next).then(appendEvent(next, type));
                });
    return writes.submit(committed(readModifyWrite));
  }

  Mono<Operation> find(String id) {
    return read(select(id));
  }

  /** The operation a principal created with this idempotency key, if any. */
  Mono<Operation> findByKey(String principal, String key) {
    return read(byKey(principal, key));
  }

  Flux<Operation> list(OperationFilter filter, int page, int size) {
    Where where = Where.of(filter);
    GenericExecuteSpec spec =
        db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM operations o"
                    + where.sql()
                    + " ORDER BY o.created_at DESC, o.id DESC LIMIT :limit OFFSET :offset")
            .bind("limit", size)
            .bind("offset", (long) page * size);
    return read(where.bind(spec).map(this::operation).all());
  }

  Mono<Long> count(OperationFilter filter) {
    Where where = Where.of(filter);
    GenericExecuteSpec spec = db.sql("SELECT COUNT(*) AS n FROM operations o" + where.sql());
    return read(where.bind(spec).map(row -> row.get("n", Long.class)).one());
  }

  /**
   * Up to {@code limit} events after {@code seq}, oldest first: operation events matching {@code
   * filter} when {@code operations}, VM events matching its host and VM when {@code vms}.
   */
  Flux<JournalEvent> eventsAfter(
      long seq, OperationFilter filter, boolean operations, boolean vms, int limit) {
    Where ops = Where.of(filter);
    List<String> either = new ArrayList<>();
    if (operations) {
      either.add("(e.operation_id IS NOT NULL" + ops.andClause() + ")");
    }
    if (vms && filter.kind() == null && filter.phase() == null) {
      StringBuilder vm = new StringBuilder("(e.operation_id IS NULL");
      if (filter.host() != null) {
        vm.append(" AND e.host = :host");
      }
      if (filter.vm() != null) {
        vm.append(" AND e.vm = :vm");
      }
      either.add(vm.append(')').toString());
    }
    if (either.isEmpty()) {
      return Flux.empty();
    }
    GenericExecuteSpec spec =
        db.sql(
                "SELECT e.seq, e.operation_id, e.payload FROM operation_events e"
                    + " LEFT JOIN operations o ON o.id = e.operation_id"
                    + " WHERE e.seq > :after AND ("
                    + String.join(" OR ", either)
                    + ") ORDER BY e.seq LIMIT :limit")
            .bind("after", seq)
            .bind("limit", limit);
    return read(ops.bind(spec).map(this::event).all());
  }

  /** Journals a VM event with the next seq and publishes it once committed. */
  Mono<JournalEvent> appendVmEvent(VmEvent vm) {
    String payload = json.write(vm);
    Mono<JournalEvent> insert =
        db.sql(
                "INSERT INTO operation_events (type, host, vm, payload, occurred_at)"
                    + " VALUES ('VM', :host, :vm, :payload, :at)")
            .filter(statement -> statement.returnGeneratedValues("seq"))
            .bind("host", vm.host())
            .bind("vm", vm.vm())
            .bind("payload", payload)
            .bind("at", Timestamps.now(clock))
            .map(row -> new JournalEvent(row.get("seq", Long.class), null, vm, payload))
            .one();
    return writes.submit(tx.transactional(insert).doOnNext(live::publish));
  }

  /** Up to {@code limit} events of one operation after {@code seq}, oldest first. */
  Flux<JournalEvent> eventsOf(String id, long seq, int limit) {
    return read(
        db.sql(
                "SELECT e.seq, e.operation_id, e.payload FROM operation_events e"
                    + " WHERE e.operation_id = :id AND e.seq > :after ORDER BY e.seq LIMIT :limit")
            .bind("id", id)
            .bind("after", seq)
            .bind("limit", limit)
            .map(this::event)
            .all());
  }

  /** Operations created before {@code instant} that have not ended. */
  Flux<String> unfinishedBefore(Instant instant) {
    return read(
        db.sql(
                "SELECT id FROM operations WHERE phase IN ('QUEUED', 'RUNNING')"
                    + " AND created_at < :before ORDER BY created_at")
            .bind("before", instant)
            .map(row -> row.get("id", String.class))
            .all());
  }

  private Mono<Operation> insert(Operation queued, @Nullable String idempotencyKey) {
    GenericExecuteSpec row =
        db.sql(
                "INSERT INTO operations (id, kind, vm, hosts, phase, created_at, requested_by,"
                    + " idempotency_key) VALUES (:id, :kind, :vm, :hosts, :phase, :createdAt,"
                    + " :requestedBy, :key)")
            .bind("id", queued.id())
            .bind("kind", queued.kind().name())
            .bind("hosts", String.join(",", queued.target().hosts()))
            .bind("phase", queued.phase().name())
            .bind("createdAt", queued.createdAt())
            .bind("requestedBy", queued.requestedBy());
    row = bindNullable(row, "vm", queued.target().vm(), String.class);
    row = bindNullable(row, "key", idempotencyKey, String.class);
    Mono<Void> hosts =
        Flux.fromIterable(queued.target().hosts())
            .distinct()
            .concatMap(
                host ->
                    db.sql("INSERT INTO operation_hosts (operation_id, host) VALUES (:id, :host)")
                        .bind("id", queued.id())
                        .bind("host", host)
                        .then())
            .then();
    return committed(row.then().then(hosts).then(appendEvent(queued, queued.phase().name())));
  }

  private Mono<Void> updateRow(Operation next) {
    GenericExecuteSpec spec =
        db.sql(
                "UPDATE operations SET phase = :phase, started_at = :startedAt,"
                    + " finished_at = :finishedAt, progress = :progress, result = :result,"
                    + " error = :error WHERE id = :id")
            .bind("id", next.id())
            .bind("phase", next.phase().name());
    spec = bindNullable(spec, "startedAt", next.startedAt(), Instant.class);
    spec = bindNullable(spec, "finishedAt", next.finishedAt(), Instant.class);
    spec = bindNullable(spec, "progress", jsonOrNull(next.progress()), String.class);
    spec = bindNullable(spec, "result", jsonOrNull(next.result()), String.class);
    spec = bindNullable(spec, "error", jsonOrNull(next.error()), String.class);
    return spec.then();
  }

  private Mono<JournalEvent> appendEvent(Operation next, String type) {
    String payload = json.write(next);
    return db.sql(
            "INSERT INTO operation_events (operation_id, type, payload, occurred_at)"
                + " VALUES (:id, :type, :payload, :at)")
        .filter(statement -> statement.returnGeneratedValues("seq"))
        .bind("id", next.id())
        .bind("type", type)
        .bind("payload", payload)
        .bind("at", Timestamps.now(clock))
        .map(row -> new JournalEvent(row.get("seq", Long.class), next, payload))
        .one();
  }

  /**
   * Runs {@code change} (row changes ending with their event) in one transaction, and publishes the
   * event once committed: the transactional Mono emits after the commit, so no subscriber ever sees
   * an event that the journal could still roll back.
   */
  private Mono<Operation> committed(Mono<JournalEvent> change) {
    return tx.transactional(change).doOnNext(this::published).map(JournalEvent::operation);
  }

  private void published(JournalEvent event) {
    live.publish(event);
    metrics.observe(event);
  }

  private Mono<Operation> select(String id) {
    return db.sql("SELECT " + COLUMNS + " FROM operations o WHERE o.id = :id")
        .bind("id", id)
        .map(this::operation)
        .one();
  }

  private Mono<Operation> byKey(String principal, String key) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + " FROM operations o WHERE o.requested_by = :principal AND o.idempotency_key = :key")
        .bind("principal", principal)
        .bind("key", key)
        .map(this::operation)
        .one();
  }

  private Operation operation(Readable row) {
    String progress = row.get("progress", String.class);
    String result = row.get("result", String.class);
    String error = row.get("error", String.class);
    return new Operation(
        row.get("id", String.class),
        OperationKind.valueOf(row.get("kind", String.class)),
        new OperationTarget(
            row.get("vm", String.class), List.of(row.get("hosts", String.class).split(","))),
        Phase.valueOf(row.get("phase", String.class)),
        row.get("created_at", Instant.class),
        row.get("started_at", Instant.class),
        row.get("finished_at", Instant.class),
        progress == null ? null : json.readMap(progress),
        result == null ? null : json.readValue(result),
        error == null ? null : json.readProblem(error),
        row.get("requested_by", String.class));
  }

  private JournalEvent event(Readable row) {
    String payload = row.get("payload", String.class);
    long seq = row.get("seq", Long.class);
    return row.get("operation_id", String.class) == null
        ? new JournalEvent(seq, null, json.readVmEvent(payload), payload)
        : new JournalEvent(seq, json.readOperation(payload), payload);
  }

  private @Nullable String jsonOrNull(@Nullable Object value) {
    return value == null ? null : json.write(value);
  }

  private static <T> GenericExecuteSpec bindNullable(
      GenericExecuteSpec spec, String name, @Nullable T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  /** Reads run on the journal's reader threads (see {@link JournalThreads} for why). */
  private <T> Mono<T> read(Mono<T> query) {
    return query.subscribeOn(readers);
  }

  private <T> Flux<T> read(Flux<T> query) {
    return query.subscribeOn(readers);
  }

  /** A WHERE clause built from a filter, with its parameters. */
  private record Where(List<String> conditions, Map<String, Object> params) {

    static Where of(OperationFilter filter) {
      Where where = new Where(new ArrayList<>(), new LinkedHashMap<>());
      if (filter.host() != null) {
        where.add(
            "EXISTS (SELECT 1 FROM operation_hosts h WHERE h.operation_id = o.id AND h.host = :host)",
            "host",
            filter.host());
      }
      if (filter.vm() != null) {
        where.add("o.vm = :vm", "vm", filter.vm());
      }
      if (filter.kind() != null) {
        where.add("o.kind = :kind", "kind", filter.kind().name());
      }
      if (filter.phase() != null) {
        where.add("o.phase = :phase", "phase", filter.phase().name());
      }
      return where;
    }

    String sql() {
      return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** The conditions as {@code " AND a AND b"}, to append to another condition. */
    String andClause() {
      return conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions);
    }

    GenericExecuteSpec bind(GenericExecuteSpec spec) {
      for (Map.Entry<String, Object> param : params.entrySet()) {
        spec = spec.bind(param.getKey(), param.getValue());
      }
      return spec;
    }

    private void add(String condition, String name, Object value) {
      conditions.add(condition);
      params.put(name, value);
    }
  }
}
