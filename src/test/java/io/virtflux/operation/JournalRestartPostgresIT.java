package io.virtflux.operation;

import java.util.List;

/** {@link JournalRestartTest} with the journal on PostgreSQL: a new database per test. */
class JournalRestartPostgresIT extends JournalRestartTest {

  @Override
  List<String> journal() {
    return PostgresJournal.arguments("restart");
  }
}
