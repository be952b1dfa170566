package io.virtflux.bench;

import io.virtflux.lab.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The journal's typical read on PostgreSQL, one operation by id, through plain JDBC on a bounded
 * thread pool (the baseline column) against R2DBC as the service reads (the virtflux column), at 1
 * and 16 reads in flight. Both on the same database (the service's schema, by its own Flyway
 * migrations), the same rows, the same random ids in the same order, in the same run, after a
 * warm-up; rounds alternate which path goes first.
 */
final class JournalReadScenario implements Scenario {

  private static final List<Integer> CONCURRENCY = List.of(1, 16);
  private static final int ROUNDS = 2;

  /** The service's reader threads ({@code JournalThreads.READERS}), which R2DBC reads hop onto. */
  private static final int SERVICE_READERS = 4;

  @Override
  public String id() {
    return "journal-read";
  }

  @Override
  public String title() {
    return "Journal read by id on PostgreSQL: plain JDBC vs R2DBC";
  }

  @Override
  public ScenarioResult run(BenchContext ctx) throws Exception {
    ScenarioResult result = new ScenarioResult(id(), title());
    BenchPostgres postgres = ctx.postgres();
    if (postgres == null) {
      return result.note(
          "skipped: no PostgreSQL on 127.0.0.70:15432 and no lab image to start one (run through"
              + " dev/bench)");
    }
    int rows = ctx.mode.size(10_000, 200);
    int warmup = ctx.mode.size(3_000, 50);
    int measured = ctx.mode.size(10_000, 200);
    Postgres.Database db = postgres.newDatabase("journal_read");
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .load()
        .migrate();
    List<String> ids = fill(db, rows);

    try (R2dbcJournalReads r2dbc = new R2dbcJournalReads(db, SERVICE_READERS);
        R2dbcJournalReads bare = new R2dbcJournalReads(db, 0);
        // as many connections as the R2DBC pool may open (Spring Boot's default maximum)
        JdbcJournalReads jdbc = new JdbcJournalReads(db, r2dbc.maxSize())) {
      List<JournalReads> paths = List.of(jdbc, r2dbc, bare);
      for (int concurrency : CONCURRENCY) {
        Map<String, Samples> latency = new LinkedHashMap<>();
        Map<String, Long> elapsed = new LinkedHashMap<>();
        for (JournalReads path : paths) {
          drive(path, picks(ids, warmup, concurrency), concurrency, null);
          latency.put(path.name(), new Samples());
          elapsed.put(path.name(), 0L);
        }
        for (int round = 0; round < ROUNDS; round++) {
          List<JournalReads> order = new ArrayList<>(paths);
          if (round % 2 == 1) {
            Collections.reverse(order);
          }
          List<String> sequence = picks(ids, measured, 1000L * concurrency + round);
          for (JournalReads path : order) {
            long nanos = drive(path, sequence, concurrency, latency.get(path.name()));
            elapsed.merge(path.name(), nanos, Long::sum);
          }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        Map<String, Double> throughput = new LinkedHashMap<>();
        for (JournalReads path : paths) {
          double perSecond = (double) measured * ROUNDS / (elapsed.get(path.name()) / 1e9);
          throughput.put(path.name(), perSecond);
          Map<String, Object> one = new LinkedHashMap<>(latency.get(path.name()).summary());
          one.put("readsPerSecond", Samples.round(perSecond));
          details.put(path.name(), one);
        }
        result.detail("concurrency" + concurrency, details);
        String at = " (concurrency " + concurrency + ")";
        Samples base = latency.get("jdbc");
        Samples service = latency.get("r2dbc");
        result.add(Metric.info("read p50" + at, "ms", base.p50(), service.p50()));
        result.add(Metric.info("read p99" + at, "ms", base.p99(), service.p99()));
        result.add(
            Metric.info(
                "throughput" + at, "reads/s", throughput.get("jdbc"), throughput.get("r2dbc")));
        result.note(
            String.format(
                Locale.ROOT,
                "concurrency %d, R2DBC without the reader-thread hops (rows handed on from the"
                    + " driver's event loop): p50 %.3f ms, p99 %.3f ms, %.0f reads/s",
                concurrency,
                latency.get("r2dbc-no-hops").p50(),
                latency.get("r2dbc-no-hops").p99(),
                throughput.get("r2dbc-no-hops")));
      }
      result.detail("r2dbcPool", r2dbc.settings());
      result.detail("jdbcThreads", r2dbc.maxSize());
      result.note(
          String.format(
              Locale.ROOT,
              "baseline = plain JDBC (pgjdbc %s) on a bounded pool of %s threads, each keeping"
                  + " a connection of its own (no checkout per read); virtflux = R2DBC as the"
                  + " service reads (r2dbc-postgresql %s via r2dbc-pool with Spring Boot's"
                  + " defaults, %s connections, one checked out per read, through Spring's"
                  + " DatabaseClient, hopping onto and back off %d reader threads as"
                  + " OperationJournal does). SELECT of the service's 12 columns WHERE id = ?,"
                  + " on a new database of %,d operations; %,d warm-up reads per path and"
                  + " concurrency, then %d rounds of %,d reads alternating which path goes first,"
                  + " the same random ids for both; latency from subscribing to the mapped row,"
                  + " concurrency = reads in flight; the PostgreSQL server (%s) shares this"
                  + " machine's cores with the bench",
              org.postgresql.util.DriverInfo.DRIVER_VERSION,
              r2dbc.maxSize(),
              version(io.r2dbc.postgresql.PostgresqlConnectionFactory.class),
              r2dbc.maxSize(),
              SERVICE_READERS,
              rows,
              warmup,
              ROUNDS,
              measured,
              postgres.settings().get("server_version")));
    }
    result.detail("postgresServer", postgres.settings());
    result.detail("rows", rows);
    result.detail("warmup", warmup);
    result.detail("readsPerRound", measured);
    result.detail("rounds", ROUNDS);
    return result;
  }

  /**
   * Runs one read per id with {@code concurrency} in flight; adds each read's latency to {@code
   * latency} (none when null, for a warm-up). Returns the wall-clock nanoseconds of all of them.
   */
  private static long drive(JournalReads path, List<String> ids, int concurrency, Samples latency) {
    long start = System.nanoTime();
    Long read =
        Flux.fromIterable(ids)
            .flatMap(
                id ->
                    Mono.defer(
                        () -> {
                          long t0 = System.nanoTime();
                          return path.read(id)
                              .doOnNext(
                                  row -> {
                                    if (latency != null) {
                                      latency.add(System.nanoTime() - t0);
                                    }
                                  });
                        }),
                concurrency)
            .count()
            .block(Duration.ofMinutes(10));
    long nanos = System.nanoTime() - start;
    if (read == null || read != ids.size()) {
      throw new IllegalStateException(
          path.name() + " read " + read + " of " + ids.size() + " operations");
    }
    return nanos;
  }

  /** {@code count} ids drawn from {@code ids}, the same for the same seed. */
  private static List<String> picks(List<String> ids, int count, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(ids.get(random.nextInt(ids.size())));
    }
    return out;
  }

  /** Finished suspend/resume operations, as the overhead scenario leaves them; their ids. */
  private static List<String> fill(Postgres.Database db, int rows) throws Exception {
    List<String> ids = new ArrayList<>(rows);
    Instant base = Instant.now().minusSeconds(3600);
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO operations (id, kind, vm, hosts, phase, created_at, started_at,"
                  + " finished_at, result, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < rows; i++) {
          String id = UUID.randomUUID().toString();
          Instant created = base.plusMillis(i * 10L);
          insert.setString(1, id);
          insert.setString(2, i % 2 == 0 ? "SUSPEND" : "RESUME");
          insert.setString(3, "vm-t0000");
          insert.setString(4, "t0000");
          insert.setString(5, "SUCCEEDED");
          insert.setObject(6, OffsetDateTime.ofInstant(created, ZoneOffset.UTC));
          insert.setObject(7, OffsetDateTime.ofInstant(created.plusMillis(2), ZoneOffset.UTC));
          insert.setObject(8, OffsetDateTime.ofInstant(created.plusMillis(5), ZoneOffset.UTC));
          insert.setString(9, i % 2 == 0 ? "{\"state\":\"PAUSED\"}" : "{\"state\":\"RUNNING\"}");
          insert.setString(10, "bench");
          insert.addBatch();
          ids.add(id);
          if (i % 1000 == 999) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("ANALYZE operations");
      }
    }
    return ids;
  }

  private static String version(Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    return v == null ? "(version unknown)" : v;
  }
}
