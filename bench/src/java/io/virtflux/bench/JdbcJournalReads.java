package io.virtflux.bench;

import io.virtflux.lab.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Journal reads through plain JDBC (pgjdbc) on a bounded pool of threads, each with a connection of
 * its own: what the service's reads would be without R2DBC. A read hops onto the pool, runs there,
 * and its row is handed on from there (the pool's threads are the readers).
 */
final class JdbcJournalReads implements JournalReads {

  private final Postgres.Database db;
  private final ExecutorService threads;
  private final Scheduler scheduler;
  private final ThreadLocal<Connection> connection = new ThreadLocal<>();
  private final List<Connection> opened = new CopyOnWriteArrayList<>();

  JdbcJournalReads(Postgres.Database db, int threads) {
    this.db = db;
    this.threads =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "jdbc-reader");
              t.setDaemon(true);
              return t;
            });
    this.scheduler = Schedulers.fromExecutor(this.threads);
  }

  @Override
  public String name() {
    return "jdbc";
  }

  @Override
  public Mono<OperationRow> read(String id) {
    return Mono.fromCallable(() -> select(id)).subscribeOn(scheduler);
  }

  private OperationRow select(String id) throws SQLException {
    // prepared per read, as the service's writer does; pgjdbc keeps the server-side statement
    try (PreparedStatement query = connection().prepareStatement(SELECT + "?")) {
      query.setString(1, id);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        return new OperationRow(
            rows.getString(1),
            rows.getString(2),
            rows.getString(3),
            rows.getString(4),
            rows.getString(5),
            instant(rows, 6),
            instant(rows, 7),
            instant(rows, 8),
            rows.getString(9),
            rows.getString(10),
            rows.getString(11),
            rows.getString(12));
      }
    }
  }

  private Connection connection() throws SQLException {
    Connection c = connection.get();
    if (c == null) {
      c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
      connection.set(c);
      opened.add(c);
    }
    return c;
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  @Override
  public void close() throws Exception {
    threads.shutdown();
    threads.awaitTermination(10, TimeUnit.SECONDS);
    for (Connection c : opened) {
      c.close();
    }
  }
}
