package io.virtflux.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL fixture does what the journal's tests rely on: one shared server, a separate empty
 * database per call, logins with the fixture's credentials only, and a durable configuration.
 */
class PostgresFixtureIT {

  @Test
  void sharedServerGivesSeparateEmptyDatabasesWithDurableSettings() throws SQLException {
    long t0 = System.nanoTime();
    Postgres pg = Postgres.shared();
    System.out.printf(
        "PostgresFixtureIT: shared() took %d ms (container start to first login %d ms)%n",
        (System.nanoTime() - t0) / 1_000_000, pg.startupTime().toMillis());
    assertThat(Postgres.shared()).isSameAs(pg);

    long t1 = System.nanoTime();
    Postgres.Database a = pg.newDatabase("fixture_");
    System.out.printf(
        "PostgresFixtureIT: newDatabase() took %d ms%n", (System.nanoTime() - t1) / 1_000_000);
    Postgres.Database b = pg.newDatabase("fixture_");
    assertThat(a.name()).startsWith("fixture_").isNotEqualTo(b.name());
    assertThat(a.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.70:15432/" + a.name());
    assertThat(a.r2dbcUrl()).isEqualTo("r2dbc:postgresql://127.0.0.70:15432/" + a.name());

    try (Connection ca = connect(a);
        Connection cb = connect(b)) {
      assertThat(userTables(ca)).isZero();
      assertThat(userTables(cb)).isZero();
      assertThat(single(ca, "SELECT current_database()")).isEqualTo(a.name());
      String owner =
          "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()";
      assertThat(single(ca, owner)).isEqualTo("virtflux");
      assertThat(single(ca, "SHOW fsync")).isEqualTo("on");
      assertThat(single(ca, "SHOW synchronous_commit")).isEqualTo("on");
      assertThat(single(ca, "SHOW max_connections")).isEqualTo("300");
      assertThat(single(ca, "SELECT current_setting('server_version_num')")).startsWith("15");

      // what one test writes, the other test's database never sees
      try (Statement s = ca.createStatement()) {
        s.execute("CREATE TABLE marker (id BIGINT PRIMARY KEY)");
        s.execute("INSERT INTO marker VALUES (1)");
      }
      assertThat(userTables(ca)).isEqualTo(1);
      assertThat(userTables(cb)).isZero();
    }

    // nobody is trusted: a wrong password, or another user, is refused over TCP
    assertThatThrownBy(() -> DriverManager.getConnection(a.jdbcUrl(), a.user(), "wrong").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
    assertThatThrownBy(
            () -> DriverManager.getConnection(a.jdbcUrl(), "postgres", "postgres").close())
        .isInstanceOf(SQLException.class);
  }

  @Test
  void serverSurvivesFastRestartsFromInside() throws SQLException {
    Postgres pg = Postgres.shared();
    Postgres.Database db = pg.newDatabase("restart_");
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (id BIGINT PRIMARY KEY)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    // twice: the second restart stops a postmaster that the first one started, not the entrypoint
    for (int round = 1; round <= 2; round++) {
      long t0 = System.nanoTime();
      pg.restartFast();
      System.out.printf(
          "PostgresFixtureIT: restartFast() #%d took %d ms%n",
          round, (System.nanoTime() - t0) / 1_000_000);
      assertThat(pg.container().isRunning()).isTrue();
      try (Connection c = connect(db)) {
        assertThat(single(c, "SELECT id FROM kept")).isEqualTo("42");
        assertThat(single(c, "SHOW listen_addresses")).isEqualTo("127.0.0.70");
      }
    }
  }

  private static Connection connect(Postgres.Database db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private static int userTables(Connection c) throws SQLException {
    return Integer.parseInt(
        single(
            c,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN"
                + " ('pg_catalog', 'information_schema')"));
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      assertThat(r.next()).as(sql).isTrue();
      return r.getString(1);
    }
  }
}
