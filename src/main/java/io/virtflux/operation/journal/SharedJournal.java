package io.virtflux.operation.journal;

/**
 * When the journal is shared by several replicas: its JDBC URL names PostgreSQL. The condition of
 * the beans that exist only then (the event tail, the host leases).
 */
final class SharedJournal {

  private SharedJournal() {}

  static final String CONDITION = "'${virtflux.journal.jdbc-url}'.startsWith('jdbc:postgresql:')";
}
