package io.virtflux.operation.journal;

import io.virtflux.lab.Postgres;

/** {@link JournalRetentionRulesTest} on PostgreSQL: a new database for each test. */
class JournalRetentionRulesPostgresIT extends JournalRetentionRulesTest {

  @Override
  Store store() {
    Postgres.Database database = Postgres.shared().newDatabase("retention");
    return new Store(database.jdbcUrl(), database.user(), database.password());
  }
}
