package io.virtflux.operation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
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

  private final JournalThreads threads;
  private final String url;
  private final String user;
  private final String password;
  // the writer thread's own; never touched elsewhere
  private @Nullable Statements open;
  // written by the writer thread, read by the health check
  private volatile @Nullable String failure;

  JournalWriter(
      JournalThreads threads,
      @Value("${spring.flyway.url}") String url,
      @Value("${spring.flyway.user:sa}") String user,
      @Value("${spring.flyway.password:}") String password) {
    this.threads = threads;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * Queues {@code work}; once it committed, {@code afterCommit} runs with its result (when not
   * null) on the writer thread, before the next write. The Mono emits that result, or completes
   * empty for null, or errors with what made the write fail (it was rolled back then).
   */
  <T> Mono<T> submit(Work<T> work, Consumer<T> afterCommit) {
    return Mono.<T>create(
        caller -> {
          try {
            threads.writerExecutor().execute(() -> runOne(work, afterCommit, caller));
          } catch (RejectedExecutionException e) {
            caller.error(OperationProblems.journalUnavailable("the journal is closed"));
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

  /** Why the last write failed, or null when it succeeded. */
  @Nullable String failure() {
    return failure;
  }

  private <T> void runOne(Work<T> work, Consumer<T> afterCommit, MonoSink<T> caller) {
    T result;
    try {
      result = inTransaction(work);
      if (failure != null) {
        log.info("the journal takes writes again");
        failure = null;
      }
    } catch (SQLException e) {
      caller.error(refused(e));
      return;
    } catch (RuntimeException e) {
      caller.error(e);
      return;
    }
    if (result == null) {
      caller.success();
      return;
    }
    try {
      afterCommit.accept(result);
    } catch (RuntimeException e) {
      // committed is committed: the caller still gets its result
      log.error("after-commit step of a journal write failed", e);
    }
    caller.success(result);
  }

  /**
   * A constraint violation is a bug of ours (500); anything else the database says means the
   * journal cannot take writes now (a full or unwritable disk, a closed file): 503.
   */
  private RuntimeException refused(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("23")) {
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

  private <T> @Nullable T inTransaction(Work<T> work) throws SQLException {
    Statements statements = statements();
    try {
      T result = work.run(statements);
      statements.connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollback(statements);
      throw e;
    }
  }

  private Statements statements() throws SQLException {
    Statements current = open;
    if (current != null && !current.connection.isClosed()) {
      return current;
    }
    Connection connection = DriverManager.getConnection(url, user, password);
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
              });
    } catch (RejectedExecutionException alreadyShutDown) {
      // nothing to close from here
    }
  }
}
