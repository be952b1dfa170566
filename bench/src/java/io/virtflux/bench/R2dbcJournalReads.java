package io.virtflux.bench;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.virtflux.lab.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Journal reads as the service makes them: r2dbc-postgresql behind r2dbc-pool with Spring Boot's
 * default pool settings ({@code spring.r2dbc.pool.*}, which the service leaves alone), through
 * Spring's DatabaseClient. With {@code hops}, a read also starts on and hands its row on from a
 * pool of reader threads, as {@code OperationJournal.read} does ({@code JournalThreads}: 4).
 */
final class R2dbcJournalReads implements JournalReads {

  private final ConnectionPool pool;
  private final DatabaseClient client;
  private final ExecutorService readerThreads;
  private final Scheduler readers;
  private final Map<String, Object> settings = new LinkedHashMap<>();

  /** Reads through a pool of their own; {@code readers} threads for the hops, 0 for none. */
  R2dbcJournalReads(Postgres.Database db, int readers) {
    ConnectionFactoryOptions options =
        ConnectionFactoryOptions.parse(db.r2dbcUrl())
            .mutate()
            .option(ConnectionFactoryOptions.USER, db.user())
            .option(ConnectionFactoryOptions.PASSWORD, db.password())
            .build();
    // Spring Boot's defaults, read from its own properties class rather than copied
    R2dbcProperties.Pool boot = new R2dbcProperties().getPool();
    ConnectionPoolConfiguration.Builder config =
        ConnectionPoolConfiguration.builder(ConnectionFactories.get(options))
            .initialSize(boot.getInitialSize())
            .maxSize(boot.getMaxSize())
            .minIdle(boot.getMinIdle())
            .acquireRetry(boot.getAcquireRetry())
            .validationDepth(boot.getValidationDepth());
    ifSet(boot.getMaxIdleTime(), config::maxIdleTime);
    ifSet(boot.getMaxLifeTime(), config::maxLifeTime);
    ifSet(boot.getMaxAcquireTime(), config::maxAcquireTime);
    ifSet(boot.getMaxCreateConnectionTime(), config::maxCreateConnectionTime);
    ifSet(boot.getMaxValidationTime(), config::maxValidationTime);
    if (boot.getValidationQuery() != null && !boot.getValidationQuery().isBlank()) {
      config.validationQuery(boot.getValidationQuery());
    }
    this.pool = new ConnectionPool(config.build());
    this.client = DatabaseClient.create(pool);
    settings.put("initialSize", boot.getInitialSize());
    settings.put("maxSize", boot.getMaxSize());
    settings.put("minIdle", boot.getMinIdle());
    settings.put("validationDepth", String.valueOf(boot.getValidationDepth()));
    settings.put("readerThreads", readers);
    if (readers > 0) {
      this.readerThreads =
          Executors.newFixedThreadPool(
              readers,
              r -> {
                Thread t = new Thread(r, "journal-reader");
                t.setDaemon(true);
                return t;
              });
      this.readers = Schedulers.fromExecutor(readerThreads);
    } else {
      this.readerThreads = null;
      this.readers = null;
    }
  }

  private static void ifSet(Duration value, Consumer<Duration> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  @Override
  public String name() {
    return readers == null ? "r2dbc-no-hops" : "r2dbc";
  }

  /** How many connections the pool may open. */
  int maxSize() {
    return (Integer) settings.get("maxSize");
  }

  /** The pool's settings, for the results. */
  Map<String, Object> settings() {
    return settings;
  }

  @Override
  public Mono<OperationRow> read(String id) {
    Mono<OperationRow> query =
        client
            .sql(SELECT + ":id")
            .bind("id", id)
            .map(
                row ->
                    new OperationRow(
                        row.get("id", String.class),
                        row.get("kind", String.class),
                        row.get("vm", String.class),
                        row.get("hosts", String.class),
                        row.get("phase", String.class),
                        row.get("created_at", Instant.class),
                        row.get("started_at", Instant.class),
                        row.get("finished_at", Instant.class),
                        row.get("progress", String.class),
                        row.get("result", String.class),
                        row.get("error", String.class),
                        row.get("requested_by", String.class)))
            .one();
    return readers == null ? query : query.subscribeOn(readers).publishOn(readers);
  }

  @Override
  public void close() throws Exception {
    pool.disposeLater().block(Duration.ofSeconds(10));
    if (readerThreads != null) {
      readerThreads.shutdown();
      readerThreads.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
