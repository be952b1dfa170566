package io.virtflux.bench;

import io.virtflux.lab.Postgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The PostgreSQL server the journal is measured on: the lab's ({@code docker/postgres}, built by
 * {@code dev/lab setup}) at {@value Postgres#HOST}:{@value Postgres#PORT}. One that already runs
 * there is used and left running; otherwise the bench starts one of its own and {@link #close()}
 * stops that container, and only that one. Every caller gets a new database, dropped at the end.
 */
final class BenchPostgres implements AutoCloseable {

  private static final String SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The server the bench started, or null when it found one running. */
  private final Postgres started;

  private final Map<String, Object> settings;
  private final List<String> databases = new ArrayList<>();

  private BenchPostgres(Postgres started, Map<String, Object> settings) {
    this.started = started;
    this.settings = settings;
  }

  /**
   * The server, started when none runs; null when none runs and the lab's image is unknown
   * (VIRTFLUX_LAB_POSTGRES_IMAGE unset: not run through {@code dev/bench}).
   */
  static BenchPostgres open(BenchContext ctx) throws SQLException {
    Postgres started = null;
    if (!acceptsLogin()) {
      if (ctx.lab("VIRTFLUX_LAB_POSTGRES_IMAGE") == null) {
        return null;
      }
      started = Postgres.startOwn();
    }
    try {
      Map<String, Object> settings = readSettings();
      settings.put("startedByBench", started != null);
      if (started != null) {
        settings.put("container", started.container().getContainerId());
      }
      // the bench measures what an operator runs: every commit durable before the 202 goes out
      if (!"on".equals(settings.get("synchronous_commit")) || !"on".equals(settings.get("fsync"))) {
        throw new IllegalStateException(
            "PostgreSQL at " + where() + " runs without durable commits: " + settings);
      }
      return new BenchPostgres(started, settings);
    } catch (RuntimeException | SQLException e) {
      if (started != null) {
        started.stop();
      }
      throw e;
    }
  }

  /** A new, empty database owned by the journal's user; dropped by {@link #close()}. */
  synchronized Postgres.Database newDatabase(String prefix) throws SQLException {
    StringBuilder name = new StringBuilder("bench_").append(prefix).append('_');
    for (int i = 0; i < 12; i++) {
      name.append(SUFFIX_CHARS.charAt(RANDOM.nextInt(SUFFIX_CHARS.length())));
    }
    String db = name.toString();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + db);
    }
    databases.add(db);
    return new Postgres.Database(
        db,
        jdbcUrl(db),
        "r2dbc:postgresql://" + where() + "/" + db,
        Postgres.USER,
        Postgres.PASSWORD);
  }

  /** The journal's settings for a database, as the service's command-line arguments. */
  static List<String> serviceArguments(Postgres.Database db) {
    return List.of(
        "--virtflux.journal.jdbc-url=" + db.jdbcUrl(),
        "--virtflux.journal.r2dbc-url=" + db.r2dbcUrl(),
        "--virtflux.journal.username=" + db.user(),
        "--virtflux.journal.password=" + db.password());
  }

  /** Version, durability settings and who started it, for the results. */
  Map<String, Object> settings() {
    return settings;
  }

  /** "started by the bench" or "already running", for a note. */
  String origin() {
    return started != null ? "started by the bench" : "already running, left running";
  }

  /**
   * Drops the bench's databases, then stops the server if the bench started it (its container, by
   * id).
   */
  @Override
  public synchronized void close() {
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      for (String db : databases) {
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
      databases.clear();
    } catch (SQLException e) {
      System.out.println("could not drop the bench's databases " + databases + ": " + e);
    } finally {
      if (started != null) {
        System.out.println(
            "stopping the PostgreSQL container the bench started: "
                + started.container().getContainerId());
        started.stop();
      }
    }
  }

  private static boolean acceptsLogin() {
    try (Connection c = connect("postgres")) {
      return c.isValid(2);
    } catch (SQLException nothingThere) {
      return false;
    }
  }

  private static Map<String, Object> readSettings() throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      for (String name :
          List.of("server_version", "synchronous_commit", "fsync", "wal_sync_method")) {
        try (ResultSet row = s.executeQuery("SHOW " + name)) {
          row.next();
          out.put(name, row.getString(1));
        }
      }
    }
    return out;
  }

  private static Connection connect(String db) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", Postgres.USER);
    props.setProperty("password", Postgres.PASSWORD);
    props.setProperty("connectTimeout", "2");
    props.setProperty("loginTimeout", "5");
    return DriverManager.getConnection(jdbcUrl(db), props);
  }

  private static String jdbcUrl(String db) {
    return "jdbc:postgresql://" + where() + "/" + db;
  }

  private static String where() {
    return Postgres.HOST + ":" + Postgres.PORT;
  }
}
