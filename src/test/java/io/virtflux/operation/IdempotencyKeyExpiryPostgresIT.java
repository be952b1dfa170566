package io.virtflux.operation;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link IdempotencyKeyExpiryTest} with the journal on PostgreSQL. */
class IdempotencyKeyExpiryPostgresIT extends IdempotencyKeyExpiryTest {

  @DynamicPropertySource
  static void journalOnPostgres(DynamicPropertyRegistry registry) {
    PostgresJournal.register(registry, "idemexpiry");
  }
}
