package io.virtflux.operation.journal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.virtflux.operation.OperationProblems;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Runs the journal's writes one at a time, in the order they were submitted, on the journal's
 * writer thread, each in its own transaction over one JDBC connection to the journal's database.
 *
 * <p>Why one at a time: an event's seq is assigned by the database when it is inserted, and events
 * are published to live subscribers after commit. Two concurrent writes could commit and publish
 * seq 11 before seq 10, and a subscriber reconnecting with {@code Last-Event-ID: 11} would never
 * see 10. Writing serially, and running {@code afterCommit} (the publication) on the same thread
 * before the next write starts, makes the publication order the seq order, so "replay after N, then
 * live" has no gaps.
 *
 * <p>Why JDBC: H2 is an embedded engine that runs every statement on the calling thread, and this
 * thread exists to be blocked by it. Through R2DBC each write also paid for a pool checkout and
 * validation, a reactive pipeline per statement and SQL parsing; {@code dev/bench} measured that as
 * most of the journal's cost per operation. Here statements are prepared once and reused. Reads
 * stay on R2DBC: they run concurrently with writes and with each other.
 *
 * <p>Why batches: every commit is durable before it returns: H2 writes it to its file
 * (WRITE_DELAY=0) and the writer then flushes the file ({@link EmbeddedFileSync}); PostgreSQL
 * flushes its WAL. That write and flush are most of a commit's cost. The writes that queued up
 * while the previous commit ran go in one transaction (each in its own savepoint, so one that fails
 * is undone alone) and one commit, so under load the cost is shared; a lone write is committed at
 * once, as before.
 *
 * <p>A submitted write runs to its end even when the caller stops listening: once an operation is
 * accepted, its journal must not depend on an HTTP client staying connected.
 */
@Component
final class JournalWriter implements DisposableBean {

  /** A write: statements on the connection; committed when it returns, rolled back if it throws. */
  @FunctionalInterface
  interface Work<T> {
    @Nullable T run(Statements statements) throws SQLException;
  }

  /** Prepared statements of the writer's connection, created on first use and then reused. */
  static final class Statements {
    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    private Statements(Connection connection) {
      this.connection = connection;
    }

    PreparedStatement sql(String sql) throws SQLException {
      return prepared(sql, () -> connection.prepareStatement(sql));
    }

    /** A statement whose execution returns the generated {@code column}. */
    PreparedStatement returning(String sql, String column) throws SQLException {
      return prepared(
          sql + "\u0000" + column, () -> connection.prepareStatement(sql, new String[] {column}));
    }

    private PreparedStatement prepared(String key, Prepare prepare) throws SQLException {
      PreparedStatement statement = prepared.get(key);
      if (statement == null) {
        statement = prepare.statement();
        statement.setQueryTimeout(WRITE_TIMEOUT_SECONDS);
        prepared.put(key, statement);
      }
      statement.clearParameters();
      return statement;
    }

    @FunctionalInterface
    private interface Prepare {
      PreparedStatement statement() throws SQLException;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

  /** Bounds one statement, so that a stuck database call cannot stall the journal for good. */
  private static final int WRITE_TIMEOUT_SECONDS = 10;

  /**
   * PostgreSQL: the longest the writer waits for the server's answer to anything (past {@link
   * #WRITE_TIMEOUT_SECONDS}, whose cancel needs a server that answers); then the connection is
   * dropped and the write fails as "journal unavailable".
   */
  private static final int SOCKET_TIMEOUT_SECONDS = 30;

  private final JournalThreads threads;
  private final JournalDatabase database;
  private final boolean shared;
  // H2: its file is flushed after each commit; null on PostgreSQL, which flushes its own WAL
  private final @Nullable EmbeddedFileSync fileSync;
  private final Timer commits;
  // the writer thread's own; never touched elsewhere
  private @Nullable Statements open;
  // set once the service shuts down: a late write (a probe that ended after the context closed)
  // must not open the database again, which would recreate its file after the close
  private volatile boolean closed;
  // written by the writer thread, read by the health check
  private volatile @Nullable String failure;

  /** Writes waiting for the writer thread, and whether a drain of them is scheduled. */
  private final Queue<Pending<?>> queue = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** The most writes one commit takes: bounds how long the first of them waits for the last. */
  private static final int BATCH = 64;

  /**
   * PostgreSQL: the transaction-scoped advisory lock every write batch of every replica takes
   * first, so that one batch commits at a time across all replicas. Events' seqs are assigned
   * inside the lock, so commit order is seq order everywhere, and a reader of "seq &gt; last" never
   * skips one that commits late ({@link EventTail}). It also makes every write see all writes
   * committed before it: a replica's check-then-write (is it still QUEUED? is there room on the
   * host?) is never raced by another replica's.
   */
  private static final long ONE_WRITER_LOCK = 0x76697274666c7578L; // "virtflux"

  /** PostgreSQL: the channel each committed batch notifies, to wake the replicas' event tails. */
  static final String EVENTS_CHANNEL = "virtflux_events";

  /**
   * PostgreSQL: how long the server lets the writer's transaction sit idle before it ends the
   * session. A writer never waits between its statements, so only a paused or dead replica reaches
   * this; its locks (the one-writer lock, the host rows it fenced on) are then freed for the
   * others.
   */
  private static final int IDLE_IN_TRANSACTION_MILLIS = 5000;

  @Autowired
  JournalWriter(
      JournalThreads threads, JournalDatabase database, ObjectProvider<MeterRegistry> meters) {
    this(threads, database, meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  /** Without the application's meters: a test of the journal's rules alone. */
  JournalWriter(JournalThreads threads, JournalDatabase database) {
    this(threads, database, new SimpleMeterRegistry());
  }

  private JournalWriter(JournalThreads threads, JournalDatabase database, MeterRegistry meters) {
    this.threads = threads;
    this.database = database;
    this.shared = database.shared();
    this.fileSync = database.embeddedFileSync().orElse(null);
    this.commits =
        Timer.builder("virtflux.journal.commit")
            .description(
                "one commit of a batch of journal writes, durable: H2's commit and the file's"
                    + " flush, or PostgreSQL's commit (its WAL flushed)")
            .publishPercentiles(0.5, 0.99)
            .register(meters);
  }

  /**
   * Queues {@code work}; once it committed, {@code afterCommit} runs with its result (when not
   * null) on the writer thread, in submission order, before the next batch of writes runs. The Mono
   * emits that result, or completes empty for null, or errors with what made the write fail (it was
   * rolled back then).
   */
  <T> Mono<T> submit(Work<T> work, Consumer<T> afterCommit) {
    return Mono.<T>create(
        caller -> {
          queue.offer(new Pending<>(work, afterCommit, caller));
          if (scheduled.compareAndSet(false, true)) {
            try {
              threads.writerExecutor().execute(this::drain);
            } catch (RejectedExecutionException e) {
              scheduled.set(false);
              Pending<?> p;
              while ((p = queue.poll()) != null) {
                p.caller().error(OperationProblems.journalUnavailable("the journal is closed"));
              }
            }
          }
        });
  }

  /**
   * Rewrites the probe row: completes once the journal took a write, or errors with why not. The
   * readiness check's proof that submissions can be recorded, and how a journal that failed finds
   * out it recovered without waiting for a client's write.
   */
  Mono<Void> probe() {
    return submit(
            statements -> {
              statements
                  .sql("UPDATE journal_probe SET checked_at = CURRENT_TIMESTAMP WHERE id = 1")
                  .executeUpdate();
              return Boolean.TRUE;
            },
            ok -> {})
        .then();
  }

  /** Whether the journal is shared by several replicas (PostgreSQL), rather than embedded (H2). */
  boolean shared() {
    return shared;
  }

  /** Why the last write failed, or null when it succeeded. */
  @Nullable String failure() {
    return failure;
  }

  /** A queued write and who waits for it. */
  private record Pending<T>(Work<T> work, Consumer<T> afterCommit, MonoSink<T> caller) {

    @SuppressWarnings("unchecked")
    void committed(@Nullable Object result) {
      if (result == null) {
        caller.success();
        return;
      }
      try {
        afterCommit.accept((T) result);
      } catch (RuntimeException e) {
        // committed is committed: the caller still gets its result
        log.error("after-commit step of a journal write failed", e);
      }
      caller.success((T) result);
    }
  }

  /**
   * Runs on the writer thread until the queue is empty: what queued up meanwhile goes in batches of
   * at most {@link #BATCH} writes, each batch one transaction and one commit.
   */
  private void drain() {
    while (true) {
      List<Pending<?>> batch = new ArrayList<>();
      Pending<?> p;
      while (batch.size() < BATCH && (p = queue.poll()) != null) {
        batch.add(p);
      }
      if (batch.isEmpty()) {
        scheduled.set(false);
        // a write queued after the poll, whose submitter saw the drain still scheduled
        if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      runBatch(batch);
    }
  }

  /**
   * One transaction for the batch: each write inside its own savepoint, so that one that fails is
   * undone alone and its caller gets the error; one commit for the rest, then their after-commit
   * steps in order (publication order stays seq order).
   */
  private void runBatch(List<Pending<?>> batch) {
    Statements statements;
    try {
      statements = statements();
    } catch (SQLException e) {
      RuntimeException refusal = refused(e);
      batch.forEach(p -> p.caller().error(refusal));
      return;
    }
    if (shared) {
      try {
        oneWriterAtATime(statements);
      } catch (SQLException e) {
        rollback(statements);
        RuntimeException refusal = refused(e);
        batch.forEach(p -> p.caller().error(refusal));
        return;
      }
    }
    boolean alone = batch.size() == 1;
    List<Ran> ran = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Pending<?> p = batch.get(i);
      Savepoint savepoint = null;
      try {
        savepoint = alone ? null : statements.connection.setSavepoint();
        ran.add(new Ran(p, p.work().run(statements)));
      } catch (SQLException | RuntimeException e) {
        RuntimeException refusal = asRefusal(e);
        p.caller().error(refusal);
        if (!undo(statements, savepoint)) {
          // the connection is gone: nothing of the batch can be committed
          ran.forEach(r -> r.pending().caller().error(refusal));
          batch.subList(i + 1, batch.size()).forEach(rest -> rest.caller().error(refusal));
          return;
        }
      }
    }
    try {
      if (shared) {
        statements.sql("SELECT pg_notify('" + EVENTS_CHANNEL + "', '')").execute();
      }
      long start = System.nanoTime();
      statements.connection.commit();
      durable();
      commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    } catch (SQLException e) {
      rollback(statements);
      RuntimeException refusal = refused(e);
      ran.forEach(r -> r.pending().caller().error(refusal));
      return;
    }
    if (failure != null) {
      log.info("the journal takes writes again");
      failure = null;
    }
    ran.forEach(r -> r.pending().committed(r.result()));
  }

  /**
   * H2: flushes the file, so that what was just committed survives a power loss. A flush that fails
   * fails the batch: its writes are in H2 (readers see them), but the callers are not told they
   * were recorded, as a commit that failed would not be either.
   */
  private void durable() throws SQLException {
    if (fileSync == null) {
      return;
    }
    try {
      fileSync.force();
    } catch (IOException e) {
      throw new SQLException("flushing " + fileSync.file() + " failed: " + e.getMessage(), e);
    }
  }

  private static void oneWriterAtATime(Statements statements) throws SQLException {
    PreparedStatement lock = statements.sql("SELECT pg_advisory_xact_lock(?)");
    lock.setLong(1, ONE_WRITER_LOCK);
    lock.execute();
  }

  /** A write of the batch that ran, and its result for after the commit. */
  private record Ran(Pending<?> pending, @Nullable Object result) {}

  private RuntimeException asRefusal(Exception e) {
    return e instanceof SQLException sql ? refused(sql) : (RuntimeException) e;
  }

  /** Undoes one write: to its savepoint, or the whole transaction when alone. */
  private boolean undo(Statements statements, @Nullable Savepoint savepoint) {
    if (savepoint == null) {
      rollback(statements);
      return open != null;
    }
    try {
      statements.connection.rollback(savepoint);
      return true;
    } catch (SQLException e) {
      rollback(statements);
      return false;
    }
  }

  /**
   * What a failed write tells its caller. The database refusing this write's data or statement (SQL
   * states 22, 23, 42: too long, a constraint, a bad statement) is about this write only: a bug of
   * ours, 500, and the journal stays ready. Anything else (a full or unwritable disk, a closed
   * file) means the journal cannot take writes now: 503, and readiness turns false until a write
   * succeeds.
   */
  private RuntimeException refused(SQLException e) {
    String state = String.valueOf(e.getSQLState());
    if (state.startsWith("22") || state.startsWith("23") || state.startsWith("42")) {
      return new DataIntegrityViolationException("journal write refused: " + e.getMessage(), e);
    }
    String cause = rootMessage(e);
    if (failure == null) {
      log.error("the journal cannot be written: {}", cause, e);
    }
    failure = cause;
    return OperationProblems.journalUnavailable(cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private Statements statements() throws SQLException {
    Statements current = open;
    if (current != null && !current.connection.isClosed()) {
      return current;
    }
    if (closed) {
      throw new SQLException("the journal is closed", "08003");
    }
    Connection connection =
        database.connect(
            "virtflux journal writer",
            SOCKET_TIMEOUT_SECONDS,
            "-c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION_MILLIS);
    connection.setAutoCommit(false);
    open = new Statements(connection);
    return open;
  }

  private void rollback(Statements statements) {
    try {
      statements.connection.rollback();
    } catch (SQLException e) {
      // a connection that cannot roll back is replaced at the next write
      log.warn("journal rollback failed; reconnecting at the next write", e);
      closeQuietly(statements);
      open = null;
    }
  }

  private static void closeQuietly(Statements statements) {
    try {
      statements.connection.close();
    } catch (SQLException e) {
      log.debug("closing the journal's write connection", e);
    }
  }

  @Override
  public void destroy() {
    closed = true;
    // after the queued writes, on the writer thread that owns the connection
    try {
      threads
          .writerExecutor()
          .execute(
              () -> {
                Statements current = open;
                if (current != null) {
                  closeQuietly(current);
                  open = null;
                }
                if (fileSync != null) {
                  try {
                    fileSync.close();
                  } catch (IOException e) {
                    log.debug("closing the journal file's flush channel", e);
                  }
                }
              });
    } catch (RejectedExecutionException alreadyShutDown) {
      // nothing to close from here
    }
  }
}
