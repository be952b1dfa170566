package io.virtflux.operation.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What retention deletes and what it keeps, on the journal's schema (Flyway, in-memory H2) and the
 * journal's writer, without the application: rows are written here as they would be, with the ages
 * a test needs.
 */
class JournalRetentionRulesTest {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(10));

  private final Store store = store();
  private final JournalThreads threads = new JournalThreads();
  private final JournalWriter writer =
      new JournalWriter(threads, new JournalDatabase(store.url(), store.user(), store.password()));
  private Connection db;

  /** Where a test's journal lives (JDBC): a new database for each test, here in-memory H2. */
  Store store() {
    return new Store("jdbc:h2:mem:retention-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  record Store(String url, String user, String password) {}

  @BeforeEach
  void schema() throws SQLException {
    Flyway.configure().dataSource(store.url(), store.user(), store.password()).load().migrate();
    db = DriverManager.getConnection(store.url(), store.user(), store.password());
  }

  @AfterEach
  void close() throws SQLException {
    writer.destroy();
    threads.destroy();
    db.close();
  }

  @Test
  void finishedOperationsAndVmEventsPastTheAgeGoButUnfinishedOnesStayWhateverTheirAge()
      throws SQLException {
    operation("old-done", "SUCCEEDED", LONG_AGO, LONG_AGO, null); // seqs 1, 2
    operation("old-queued", "QUEUED", LONG_AGO, null, "key-1"); // 3, 4
    vmEvent(LONG_AGO); // 5
    operation("new-done", "FAILED", NOW, NOW, null); // 6, 7
    vmEvent(NOW); // 8

    JournalRetention.Round round = retention(1000, 2).round().block(Duration.ofSeconds(10));

    assertThat(round).isEqualTo(new JournalRetention.Round(1, 3, 5));
    assertThat(ids("SELECT id FROM operations ORDER BY id"))
        .containsExactly("new-done", "old-queued");
    assertThat(ids("SELECT operation_id FROM operation_hosts ORDER BY operation_id"))
        .containsExactly("new-done", "old-queued");
    assertThat(ids("SELECT seq FROM operation_events ORDER BY seq"))
        .containsExactly("3", "4", "6", "7", "8");
    // what an unfinished operation needs: its idempotency key and the inputs a restart runs
    assertThat(
            ids("SELECT idempotency_key || ' ' || replay FROM operations WHERE id = 'old-queued'"))
        .containsExactly("key-1 {}");
    assertThat(ids("SELECT pruned_through FROM journal_retention")).containsExactly("5");
  }

  @Test
  void beyondMaxOperationsTheFinishedOnesThatEndedFirstGoInBatches() throws SQLException {
    for (int i = 0; i < 7; i++) {
      // created in order, ended in reverse: what ended first goes first, not what began first
      operation("done-" + i, "SUCCEEDED", NOW, NOW.minusSeconds(i), null);
    }
    operation("running", "RUNNING", LONG_AGO, null, null);

    JournalRetention.Round round = retention(3, 2).round().block(Duration.ofSeconds(10));

    assertThat(round.operations()).isEqualTo(5);
    assertThat(ids("SELECT id FROM operations ORDER BY id"))
        .containsExactly("done-0", "done-1", "running");
    assertThat(ids("SELECT COUNT(*) FROM operation_events")).containsExactly("6");
    // the highest seq deleted, whatever the order of deletion: done-6's last (seqs 13, 14)
    assertThat(ids("SELECT pruned_through FROM journal_retention")).containsExactly("14");
  }

  @Test
  void aJournalWithNothingPastTheLimitsIsLeftAsItIsAndItsWatermarkAtZero() throws SQLException {
    operation("done", "SUCCEEDED", NOW, NOW, null);
    vmEvent(NOW);

    assertThat(retention(10, 2).round().block(Duration.ofSeconds(10)))
        .isEqualTo(JournalRetention.Round.NONE);
    assertThat(ids("SELECT COUNT(*) FROM operation_events")).containsExactly("3");
    assertThat(ids("SELECT pruned_through FROM journal_retention")).containsExactly("0");
  }

  private JournalRetention retention(int maxOperations, int batchSize) {
    return new JournalRetention(
        writer,
        new RetentionProperties(
            true, Duration.ofDays(7), maxOperations, Duration.ofMinutes(1), batchSize),
        new SimpleMeterRegistry());
  }

  /** An operation on host h with two events (its creation and its last change) at its times. */
  private void operation(
      String id, String phase, Instant created, @Nullable Instant finished, @Nullable String key)
      throws SQLException {
    try (PreparedStatement row =
        db.prepareStatement(
            "INSERT INTO operations (id, kind, vm, hosts, phase, created_at, finished_at,"
                + " requested_by, idempotency_key, replay) VALUES (?, 'SHUTDOWN', 'vm', 'h', ?, ?,"
                + " ?, 'alice', ?, ?)")) {
      row.setString(1, id);
      row.setString(2, phase);
      JdbcInstants.bind(row, 3, created);
      JdbcInstants.bind(row, 4, finished);
      row.setString(5, key);
      row.setString(6, "QUEUED".equals(phase) ? "{}" : null);
      row.executeUpdate();
    }
    try (PreparedStatement host =
        db.prepareStatement("INSERT INTO operation_hosts (operation_id, host) VALUES (?, 'h')")) {
      host.setString(1, id);
      host.executeUpdate();
    }
    event(id, "QUEUED", created);
    event(id, phase, finished != null ? finished : created);
  }

  private void vmEvent(Instant at) throws SQLException {
    event(null, "VM", at);
  }

  private void event(@Nullable String operation, String type, Instant at) throws SQLException {
    try (PreparedStatement event =
        db.prepareStatement(
            "INSERT INTO operation_events (operation_id, type, host, payload, occurred_at)"
                + " VALUES (?, ?, 'h', '{}', ?)")) {
      event.setString(1, operation);
      event.setString(2, type);
      JdbcInstants.bind(event, 3, at);
      event.executeUpdate();
    }
  }

  private List<String> ids(String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = db.createStatement().executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
