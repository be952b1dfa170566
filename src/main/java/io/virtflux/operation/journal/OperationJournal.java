package io.virtflux.operation.journal;

import io.r2dbc.spi.Readable;
import io.virtflux.api.IdempotencyKey;
import io.virtflux.operation.HostEvent;
import io.virtflux.operation.HostOwnership.Fence;
import io.virtflux.operation.JournalJson;
import io.virtflux.operation.LaneLimits;
import io.virtflux.operation.LostOwnership;
import io.virtflux.operation.MemoryClaim;
import io.virtflux.operation.NoMemory;
import io.virtflux.operation.Operation;
import io.virtflux.operation.OperationFilter;
import io.virtflux.operation.OperationKind;
import io.virtflux.operation.OperationTarget;
import io.virtflux.operation.Phase;
import io.virtflux.operation.Timestamps;
import io.virtflux.operation.VmEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The durable record of operations and their events (tables {@code operations}, {@code
 * operation_hosts}, {@code operation_events}; see {@code db/migration}).
 *
 * <p>Every change goes through {@link JournalWriter}: it updates the row, appends an event in the
 * same transaction and, once committed, tells that event to the {@link JournalListener}s. A
 * terminal operation is never changed again, which is what makes "exactly one terminal event" hold
 * however many paths (completion, timeout, cancel, restart) race to end it.
 */
@Component
public final class OperationJournal {

  private static final String COLUMNS =
      "o.id, o.kind, o.vm, o.hosts, o.phase, o.created_at, o.started_at, o.finished_at,"
          + " o.progress, o.result, o.error, o.requested_by";

  private final DatabaseClient db;
  private final JournalJson json;
  private final List<JournalListener> listeners;
  private final JournalWriter writes;
  private final ObjectProvider<HostLeases> leases;

  /**
   * Unfinished operations as last written, so that a change needs no SELECT first. Only the writer
   * thread touches it (inside writes and their after-commit steps); a write that is rolled back
   * evicts its operation, and an operation this instance did not write (after a restart) is read
   * from the database once.
   */
  private final Map<String, Operation> unfinished = new HashMap<>();

  private final Scheduler readers;
  private final Clock clock = Clock.systemUTC();
  // several replicas write: no cache of rows (another replica may have changed them), and owners'
  // writes are fenced
  private final boolean shared;

  OperationJournal(
      DatabaseClient db,
      JournalJson json,
      List<JournalListener> listeners,
      JournalWriter writes,
      JournalThreads threads,
      ObjectProvider<HostLeases> leases) {
    this.leases = leases;
    this.db = db;
    this.json = json;
    this.listeners = List.copyOf(listeners);
    this.writes = writes;
    this.readers = threads.readers();
    this.shared = writes.shared();
  }

  /** Whether several replicas share this journal (PostgreSQL). */
  public boolean shared() {
    return shared;
  }

  /**
   * Journals a QUEUED operation and its first event, then calls {@code whenCreated} (still inside
   * the write, so it happens even if the caller went away). When the principal sent {@code key} for
   * an operation created at or after {@code keysSince}, emits that earlier operation (with its
   * request's fingerprint, for the caller to compare) instead and calls nothing. An operation
   * created before holds an expired key: it gives the key up to the new one, in the same
   * transaction, so the unique (principal, key) constraint never fails the insert. {@code replay}
   * (JSON of the operation root's {@code JournaledCommand}) is kept with the operation.
   */
  public Mono<Keyed> create(
      Operation queued,
      @Nullable IdempotencyKey key,
      Instant keysSince,
      @Nullable String replay,
      Consumer<Operation> whenCreated) {
    return create(queued, key, keysSince, replay, null, whenCreated);
  }

  /**
   * As {@link #create(Operation, IdempotencyKey, Instant, String, Consumer)}, for a DEPLOY that
   * takes {@code memory} on its host (kept with the operation). On a shared journal a placed one
   * ({@link MemoryClaim#enforced()}) is first checked against the memory promised there by every
   * replica's deploys, in the same write: errors with {@link NoMemory} (nothing written) when it
   * does not fit.
   */
  public Mono<Keyed> create(
      Operation queued,
      @Nullable IdempotencyKey key,
      Instant keysSince,
      @Nullable String replay,
      @Nullable MemoryClaim memory,
      Consumer<Operation> whenCreated) {
    return writes
        .submit(
            sql -> {
              if (key != null) {
                Keyed earlier = byKey(sql, queued.requestedBy(), key.value());
                if (earlier != null && !earlier.operation().createdAt().isBefore(keysSince)) {
                  return new Created(earlier, null);
                }
                if (earlier != null) {
                  releaseKey(sql, earlier.operation().id());
                }
              }
              Fence adopted = null;
              if (shared) {
                HostOwners.ensure(sql, queued.target().hosts());
                adopted = adoptHome(sql, queued);
                if (memory != null) {
                  // a deploy has one host
                  DeployLedger.check(sql, queued.target().hosts().get(0), memory);
                }
              }
              return new Created(
                  new Keyed(queued, key == null ? null : key.fingerprint()),
                  insert(sql, queued, key, replay, memory),
                  adopted);
            },
            created -> {
              if (created.event() != null) {
                Fence adopted = created.adopted();
                HostLeases owners = adopted == null ? null : leases.getObject();
                if (owners != null) {
                  owners.adopt(adopted);
                }
                published(created.event());
                whenCreated.accept(created.keyed().operation());
                if (owners != null) {
                  // after the new operation is scheduled: the new owner's takeover skips it
                  owners.announce(adopted);
                }
              }
            })
        .map(Created::keyed);
  }

  /**
   * An operation and the fingerprint of the request that created it under an idempotency key (null
   * without a key, and for operations journaled before fingerprints were).
   */
  public record Keyed(Operation operation, @Nullable String fingerprint) {}

  /**
   * What {@link #create} wrote: the new operation and its event, or an earlier one and none; and
   * the operation's first host when this replica claimed it in the same write.
   */
  private record Created(Keyed keyed, @Nullable JournalEvent event, @Nullable Fence adopted) {
    Created(Keyed keyed, @Nullable JournalEvent event) {
      this(keyed, event, null);
    }
  }

  /** Claims the operation's first host for this replica if no replica owns it. */
  private @Nullable Fence adoptHome(JournalWriter.Statements sql, Operation queued)
      throws SQLException {
    HostLeases owners = leases.getIfAvailable();
    if (owners == null) {
      return null;
    }
    String home = queued.target().hosts().get(0);
    Long epoch = HostOwners.claimIfFree(sql, home, owners.replica());
    return epoch == null ? null : new Fence(home, owners.replica(), epoch);
  }

  /**
   * Applies {@code change} to the operation as journaled now and records the result with an event
   * (a phase change, or PROGRESS when the phase stays). Emits the changed operation, or nothing
   * when the id is unknown, the operation already ended, or {@code change} returned null.
   */
  public Mono<Operation> update(String id, Function<Operation, @Nullable Operation> change) {
    return update(id, change, null);
  }

  /**
   * As {@link #update(String, Function)}, for the owner of a host: on a shared journal the write is
   * refused with {@link LostOwnership} unless {@code fence} is still the host's owner and epoch, in
   * the same transaction.
   */
  public Mono<Operation> update(
      String id, Function<Operation, @Nullable Operation> change, @Nullable Fence fence) {
    return change(id, fence, (sql, current) -> change.apply(current));
  }

  /**
   * Starts a QUEUED operation: RUNNING, with its event, if every one of its hosts has room for it.
   * On a shared journal the room is counted here, in the write, from the RUNNING operations of all
   * replicas ({@code limits} per host, and the DEPLOY cap), so that the limit holds across replicas
   * (a migration whose two hosts have different owners) and a dead owner leaks no slot; and the
   * write is fenced like {@link #update(String, Function, Fence)}. Emits the running operation;
   * completes empty when it is no longer QUEUED (cancelled meanwhile); errors with {@link NoRoom}
   * when a host is full (nothing was written).
   */
  public Mono<Operation> start(
      String id,
      Function<Operation, Operation> toRunning,
      LaneLimits limits,
      @Nullable Fence fence) {
    return change(
        id,
        fence,
        (sql, current) -> {
          if (current.phase() != Phase.QUEUED) {
            return null;
          }
          if (shared) {
            HostRoom.check(sql, current, limits);
          }
          return toRunning.apply(current);
        });
  }

  /** A change of an unfinished operation, which may read the journal in its own write. */
  @FunctionalInterface
  private interface Change {
    @Nullable Operation apply(JournalWriter.Statements sql, Operation current) throws SQLException;
  }

  /**
   * The one way an operation changes: in a write fenced with {@code fence}, {@code change} applied
   * to the operation as journaled now (unless it ended), the row updated and an event appended (a
   * phase change, or PROGRESS when the phase stays).
   */
  private Mono<Operation> change(String id, @Nullable Fence fence, Change change) {
    return writes
        .submit(
            sql -> {
              fenced(sql, fence);
              Operation current = current(sql, id);
              if (current == null || current.phase().terminal()) {
                return null;
              }
              Operation next = change.apply(sql, current);
              if (next == null) {
                return null;
              }
              String type = next.phase() == current.phase() ? "PROGRESS" : next.phase().name();
              updateRow(sql, next);
              // at once, not after the commit: the next write of the same batch builds on it
              remember(next);
              return appendEvent(sql, next, type);
            },
            this::published)
        // rolled back (on the writer thread, which owns the cache): read it again next time
        .doOnError(e -> unfinished.remove(id))
        .map(JournalEvent::operation);
  }

  /** Refuses the write unless {@code fence} (when given, on a shared journal) still holds. */
  private void fenced(JournalWriter.Statements sql, @Nullable Fence fence) throws SQLException {
    if (shared && fence != null) {
      HostOwners.requireEpoch(sql, fence);
    }
  }

  /** The operation as journaled now: from the cache on an embedded journal, else its row. */
  private @Nullable Operation current(JournalWriter.Statements sql, String id) throws SQLException {
    Operation current = shared ? null : unfinished.get(id);
    return current != null ? current : select(sql, id);
  }

  /**
   * The unfinished operations whose first host (where they run: a migration's source) is {@code
   * host}, oldest first: what a new owner of the host takes over.
   */
  public Flux<Operation> unfinishedOn(String host) {
    return read(
        db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM operations o JOIN operation_hosts h ON h.operation_id = o.id"
                    + " WHERE h.host = :host AND o.phase IN ('QUEUED', 'RUNNING')"
                    + " ORDER BY o.created_at")
            .bind("host", host)
            .map(row -> operation(row::get))
            .all()
            .filter(op -> op.target().hosts().get(0).equals(host)));
  }

  public Mono<Operation> find(String id) {
    return read(select(id));
  }

  /**
   * The operation a principal created with this idempotency key at or after {@code keysSince} (an
   * older one's key has expired), if any.
   */
  public Mono<Keyed> findByKey(String principal, String key, Instant keysSince) {
    return read(byKey(principal, key, keysSince));
  }

  public Flux<Operation> list(OperationFilter filter, int page, int size) {
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
    return read(where.bind(spec).map(row -> operation(row::get)).all());
  }

  public Mono<Long> count(OperationFilter filter) {
    Where where = Where.of(filter);
    GenericExecuteSpec spec = db.sql("SELECT COUNT(*) AS n FROM operations o" + where.sql());
    return read(where.bind(spec).map(row -> row.get("n", Long.class)).one());
  }

  /**
   * Up to {@code limit} events after {@code seq}, oldest first: operation events matching {@code
   * filter} when {@code operations}, VM events matching its host and VM when {@code vms}, host
   * events matching its host when {@code hosts}.
   */
  public Flux<JournalEvent> eventsAfter(
      long seq, OperationFilter filter, boolean operations, boolean vms, boolean hosts, int limit) {
    Where ops = Where.of(filter);
    List<String> either = new ArrayList<>();
    if (operations) {
      either.add("(e.operation_id IS NOT NULL" + ops.andClause() + ")");
    }
    if (vms && filter.kind() == null && filter.phase() == null) {
      StringBuilder vm = new StringBuilder("(e.operation_id IS NULL AND e.type = 'VM'");
      if (filter.host() != null) {
        vm.append(" AND e.host = :host");
      }
      if (filter.vm() != null) {
        vm.append(" AND e.vm = :vm");
      }
      either.add(vm.append(')').toString());
    }
    if (hosts && filter.kind() == null && filter.phase() == null && filter.vm() == null) {
      either.add(
          "(e.operation_id IS NULL AND e.type = 'HOST'"
              + (filter.host() != null ? " AND e.host = :host" : "")
              + ")");
    }
    if (either.isEmpty()) {
      return Flux.empty();
    }
    GenericExecuteSpec spec =
        db.sql(
                "SELECT e.seq, e.operation_id, e.type, e.payload FROM operation_events e"
                    + " LEFT JOIN operations o ON o.id = e.operation_id"
                    + " WHERE e.seq > :after AND ("
                    + String.join(" OR ", either)
                    + ") ORDER BY e.seq LIMIT :limit")
            .bind("after", seq)
            .bind("limit", limit);
    return read(ops.bind(spec).map(this::event).all());
  }

  /** Journals a VM event with the next seq and publishes it once committed. */
  public Mono<JournalEvent> appendVmEvent(VmEvent vm) {
    String payload = json.write(vm);
    return writes.submit(
        sql ->
            new JournalEvent(
                insertEvent(sql, null, "VM", vm.host(), vm.vm(), payload), vm, payload),
        this::tell);
  }

  /** Journals a host's state change with the next seq and publishes it once committed. */
  public Mono<JournalEvent> appendHostEvent(HostEvent host) {
    String payload = json.write(host);
    return writes.submit(
        sql ->
            new JournalEvent(
                insertEvent(sql, null, "HOST", host.host(), null, payload), host, payload),
        this::tell);
  }

  /** Up to {@code limit} events of one operation after {@code seq}, oldest first. */
  public Flux<JournalEvent> eventsOf(String id, long seq, int limit) {
    return read(
        db.sql(
                "SELECT e.seq, e.operation_id, e.type, e.payload FROM operation_events e"
                    + " WHERE e.operation_id = :id AND e.seq > :after ORDER BY e.seq LIMIT :limit")
            .bind("id", id)
            .bind("after", seq)
            .bind("limit", limit)
            .map(this::event)
            .all());
  }

  /**
   * The highest event seq retention ever deleted ({@link JournalRetention}), 0 when none: a resume
   * from below it may miss events.
   */
  public Mono<Long> prunedThrough() {
    return read(
        db.sql("SELECT pruned_through FROM journal_retention WHERE id = 1")
            .map(row -> row.get("pruned_through", Long.class))
            .one()
            .defaultIfEmpty(0L));
  }

  /**
   * The command journaled with an operation (JSON of the operation root's {@code
   * JournaledCommand}), if any; kept for the operation's whole life. The column keeps the name it
   * had when it held a feature's replay inputs.
   */
  public Mono<String> commandOf(String id) {
    return read(
        db.sql("SELECT replay FROM operations WHERE id = :id AND replay IS NOT NULL")
            .bind("id", id)
            .map(row -> row.get("replay", String.class))
            .one());
  }

  /** Operations created before {@code instant} that have not ended, oldest first. */
  public Flux<Operation> unfinishedBefore(Instant instant) {
    return read(
        db.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM operations o WHERE o.phase IN ('QUEUED', 'RUNNING')"
                    + " AND o.created_at < :before ORDER BY o.created_at")
            .bind("before", instant)
            .map(row -> operation(row::get))
            .all());
  }

  private JournalEvent insert(
      JournalWriter.Statements sql,
      Operation queued,
      @Nullable IdempotencyKey key,
      @Nullable String replay,
      @Nullable MemoryClaim memory)
      throws SQLException {
    PreparedStatement row =
        sql.sql(
            "INSERT INTO operations (id, kind, vm, hosts, phase, created_at, requested_by,"
                + " idempotency_key, idempotency_fingerprint, replay, memory_mib)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    row.setString(1, queued.id());
    row.setString(2, queued.kind().name());
    row.setString(3, queued.target().vm());
    row.setString(4, String.join(",", queued.target().hosts()));
    row.setString(5, queued.phase().name());
    JdbcInstants.bind(row, 6, queued.createdAt());
    row.setString(7, queued.requestedBy());
    row.setString(8, key == null ? null : key.value());
    row.setString(9, key == null ? null : key.fingerprint());
    row.setString(10, replay);
    if (memory == null) {
      row.setNull(11, Types.BIGINT);
    } else {
      row.setLong(11, memory.memoryMiB());
    }
    row.executeUpdate();
    for (String host : new LinkedHashSet<>(queued.target().hosts())) {
      PreparedStatement hosts =
          sql.sql("INSERT INTO operation_hosts (operation_id, host) VALUES (?, ?)");
      hosts.setString(1, queued.id());
      hosts.setString(2, host);
      hosts.executeUpdate();
    }
    return appendEvent(sql, queued, queued.phase().name());
  }

  private void updateRow(JournalWriter.Statements sql, Operation next) throws SQLException {
    // the journaled command stays with the operation: the lane reads it back once admitted
    PreparedStatement update =
        sql.sql(
            "UPDATE operations SET phase = ?, started_at = ?, finished_at = ?, progress = ?,"
                + " result = ?, error = ? WHERE id = ?");
    update.setString(1, next.phase().name());
    JdbcInstants.bind(update, 2, next.startedAt());
    JdbcInstants.bind(update, 3, next.finishedAt());
    update.setString(4, jsonOrNull(next.progress()));
    update.setString(5, jsonOrNull(next.result()));
    update.setString(6, jsonOrNull(next.error()));
    update.setString(7, next.id());
    update.executeUpdate();
  }

  private JournalEvent appendEvent(JournalWriter.Statements sql, Operation next, String type)
      throws SQLException {
    String payload = json.write(next);
    return new JournalEvent(insertEvent(sql, next.id(), type, null, null, payload), next, payload);
  }

  /**
   * Appends one row to the event sequence (an operation's event, or a VM's with host and VM) and
   * returns the seq the database assigned.
   */
  private long insertEvent(
      JournalWriter.Statements sql,
      @Nullable String operationId,
      String type,
      @Nullable String host,
      @Nullable String vm,
      String payload)
      throws SQLException {
    PreparedStatement insert =
        sql.returning(
            "INSERT INTO operation_events (operation_id, type, host, vm, payload, occurred_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
            "seq");
    insert.setString(1, operationId);
    insert.setString(2, type);
    insert.setString(3, host);
    insert.setString(4, vm);
    insert.setString(5, payload);
    JdbcInstants.bind(insert, 6, Timestamps.now(clock));
    insert.executeUpdate();
    try (ResultSet keys = insert.getGeneratedKeys()) {
      if (!keys.next()) {
        throw new SQLException("no seq generated");
      }
      return keys.getLong(1);
    }
  }

  /** Keeps an unfinished operation's latest state for the writer's next update of it. */
  private void remember(Operation operation) {
    if (shared) {
      return;
    }
    if (operation.phase().terminal()) {
      unfinished.remove(operation.id());
    } else {
      unfinished.put(operation.id(), operation);
    }
  }

  private void published(JournalEvent event) {
    Operation operation = event.operation();
    if (operation != null) {
      remember(operation);
    }
    tell(event);
  }

  /** Tells an event from the shared journal's tail to the listeners of every replica's events. */
  void tellEveryReplica(JournalEvent event) {
    for (JournalListener listener : listeners) {
      if (listener.everyReplica()) {
        listener.committed(event);
      }
    }
  }

  /**
   * In the listeners' order (Spring's {@code @Order}). One that throws stops those after it; the
   * writer logs it, and the write stays committed.
   */
  private void tell(JournalEvent event) {
    for (JournalListener listener : listeners) {
      // on a shared journal, those come from the tail: one order for every replica's events
      if (!shared || !listener.everyReplica()) {
        listener.committed(event);
      }
    }
  }

  private Mono<Operation> select(String id) {
    return db.sql("SELECT " + COLUMNS + " FROM operations o WHERE o.id = :id")
        .bind("id", id)
        .map(row -> operation(row::get))
        .one();
  }

  private @Nullable Operation select(JournalWriter.Statements sql, String id) throws SQLException {
    PreparedStatement query = sql.sql("SELECT " + COLUMNS + " FROM operations o WHERE o.id = ?");
    query.setString(1, id);
    return first(query);
  }

  private Mono<Keyed> byKey(String principal, String key, Instant keysSince) {
    return db.sql(
            "SELECT "
                + COLUMNS
                + ", o.idempotency_fingerprint FROM operations o"
                + " WHERE o.requested_by = :principal AND o.idempotency_key = :key"
                + " AND o.created_at >= :since")
        .bind("principal", principal)
        .bind("key", key)
        .bind("since", keysSince)
        .map(
            row -> new Keyed(operation(row::get), row.get("idempotency_fingerprint", String.class)))
        .one();
  }

  private @Nullable Keyed byKey(JournalWriter.Statements sql, String principal, String key)
      throws SQLException {
    PreparedStatement query =
        sql.sql(
            "SELECT "
                + COLUMNS
                + ", o.idempotency_fingerprint FROM operations o"
                + " WHERE o.requested_by = ? AND o.idempotency_key = ?");
    query.setString(1, principal);
    query.setString(2, key);
    try (ResultSet rows = query.executeQuery()) {
      if (!rows.next()) {
        return null;
      }
      return new Keyed(operation(columns(rows)), rows.getString("idempotency_fingerprint"));
    }
  }

  /** Gives up an expired idempotency key, so that a new operation may take it. */
  private static void releaseKey(JournalWriter.Statements sql, String id) throws SQLException {
    PreparedStatement release =
        sql.sql(
            "UPDATE operations SET idempotency_key = NULL, idempotency_fingerprint = NULL"
                + " WHERE id = ?");
    release.setString(1, id);
    release.executeUpdate();
  }

  private @Nullable Operation first(PreparedStatement query) throws SQLException {
    try (ResultSet rows = query.executeQuery()) {
      if (!rows.next()) {
        return null;
      }
      return operation(columns(rows));
    }
  }

  /** The current row of {@code rows}. */
  private static Columns columns(ResultSet rows) {
    return new Columns() {
      @Override
      public <T> @Nullable T get(String name, Class<T> type) {
        try {
          // Instant through OffsetDateTime: see JdbcInstants
          return type == Instant.class
              ? type.cast(JdbcInstants.read(rows, name))
              : rows.getObject(name, type);
        } catch (SQLException e) {
          throw new IllegalStateException("journal column " + name, e);
        }
      }
    };
  }

  /** A row's columns by name, from R2DBC or JDBC. */
  private interface Columns {
    <T> @Nullable T get(String name, Class<T> type);
  }

  private Operation operation(Columns row) {
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

  /** An event from a JDBC row of {@code seq, operation_id, type, payload} (the tail's reads). */
  JournalEvent event(ResultSet row) throws SQLException {
    String payload = row.getString("payload");
    long seq = row.getLong("seq");
    if (row.getString("operation_id") != null) {
      return new JournalEvent(seq, json.readOperation(payload), payload);
    }
    return "HOST".equals(row.getString("type"))
        ? new JournalEvent(seq, json.readHostEvent(payload), payload)
        : new JournalEvent(seq, json.readVmEvent(payload), payload);
  }

  private JournalEvent event(Readable row) {
    String payload = row.get("payload", String.class);
    long seq = row.get("seq", Long.class);
    if (row.get("operation_id", String.class) != null) {
      return new JournalEvent(seq, json.readOperation(payload), payload);
    }
    return "HOST".equals(row.get("type", String.class))
        ? new JournalEvent(seq, json.readHostEvent(payload), payload)
        : new JournalEvent(seq, json.readVmEvent(payload), payload);
  }

  private @Nullable String jsonOrNull(@Nullable Object value) {
    return value == null ? null : json.write(value);
  }

  private static <T> GenericExecuteSpec bindNullable(
      GenericExecuteSpec spec, String name, @Nullable T value, Class<T> type) {
    return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
  }

  /**
   * Reads start on the journal's reader threads (see {@link JournalThreads} for why), and their
   * results are handed on from there too: PostgreSQL's R2DBC driver emits rows on its Netty event
   * loop, which whatever the caller does next (such as a journal write it waits for, or a libvirt
   * call) must not hold up. Mapping a row stays on the loop: it only parses JSON.
   */
  private <T> Mono<T> read(Mono<T> query) {
    return query.subscribeOn(readers).publishOn(readers);
  }

  private <T> Flux<T> read(Flux<T> query) {
    return query.subscribeOn(readers).publishOn(readers);
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
