package io.virtflux.operation;

import io.virtflux.lab.Postgres;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The journal on the lab's PostgreSQL server, for the {@code *PostgresIT} twins of the journal
 * tests: each gets a new, empty database, so sequence numbers start at 1 as they do in a new H2
 * file.
 */
public final class PostgresJournal {

  private PostgresJournal() {}

  /** A new database and the journal's settings for it, as a Spring test registers them. */
  public static void register(DynamicPropertyRegistry registry, String prefix) {
    Postgres.Database database = Postgres.shared().newDatabase(prefix);
    registry.add("virtflux.journal.jdbc-url", database::jdbcUrl);
    registry.add("virtflux.journal.r2dbc-url", database::r2dbcUrl);
    registry.add("virtflux.journal.username", database::user);
    registry.add("virtflux.journal.password", database::password);
  }

  /** A new database and the journal's settings for it, as command-line arguments. */
  public static List<String> arguments(String prefix) {
    Postgres.Database database = Postgres.shared().newDatabase(prefix);
    return List.of(
        "--virtflux.journal.jdbc-url=" + database.jdbcUrl(),
        "--virtflux.journal.r2dbc-url=" + database.r2dbcUrl(),
        "--virtflux.journal.username=" + database.user(),
        "--virtflux.journal.password=" + database.password());
  }
}
