package io.virtflux.operation;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link JournalRetentionTest} with the journal on PostgreSQL. */
class JournalRetentionPostgresIT extends JournalRetentionTest {

  @DynamicPropertySource
  static void journalOnPostgres(DynamicPropertyRegistry registry) {
    PostgresJournal.register(registry, "retentionload");
  }
}
