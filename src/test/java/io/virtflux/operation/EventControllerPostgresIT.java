package io.virtflux.operation;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link EventControllerTest} with the journal on PostgreSQL. */
class EventControllerPostgresIT extends EventControllerTest {

  @DynamicPropertySource
  static void journalOnPostgres(DynamicPropertyRegistry registry) {
    PostgresJournal.register(registry, "events");
  }
}
