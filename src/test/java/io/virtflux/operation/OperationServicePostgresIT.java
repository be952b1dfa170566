package io.virtflux.operation;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link OperationServiceTest} with the journal on PostgreSQL. */
class OperationServicePostgresIT extends OperationServiceTest {

  @DynamicPropertySource
  static void journalOnPostgres(DynamicPropertyRegistry registry) {
    PostgresJournal.register(registry, "opservice");
  }
}
