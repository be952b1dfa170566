package io.virtflux.operation.journal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of the journal's retention, as statements on the writer's connection ({@link
 * JournalWriter}): deletes up to {@code batchSize} finished operations (their events and host rows
 * first, for the foreign keys), looks at up to {@code batchSize} of the oldest events for VM and
 * host events past the age limit, and raises the watermark {@code journal_retention.pruned_through}
 * to the highest seq deleted, all in the same transaction: a reader never sees events gone without
 * the watermark saying so.
 *
 * <p>Never deleted: an operation that is QUEUED or RUNNING (it has no {@code finished_at}), nor
 * anything of it (its events, its idempotency key, its replay inputs).
 */
final class JournalPruner {

  /** The cursor of the scan for old VM and host events once it reached newer ones. */
  static final long SCANNED = -1;

  private final RetentionProperties retention;

  JournalPruner(RetentionProperties retention) {
    this.retention = retention;
  }

  /**
   * What one batch deleted.
   *
   * @param operations operations deleted
   * @param events events deleted (of those operations, and VM and host events)
   * @param prunedThrough the highest seq deleted, 0 if none
   * @param operationsLeft whether there may be more operations to delete now
   * @param cursor where the next batch goes on looking for old VM and host events, or {@link
   *     #SCANNED}
   */
  record Batch(
      int operations, int events, long prunedThrough, boolean operationsLeft, long cursor) {

    boolean more() {
      return operationsLeft || cursor != SCANNED;
    }
  }

  /**
   * Deletes one batch: operations that ended before {@code cutoff} or beyond {@code
   * max-operations}, and VM and host events older than {@code cutoff} found after seq {@code
   * cursor} ({@link #SCANNED}: not looked for).
   */
  Batch run(JournalWriter.Statements sql, Instant cutoff, long cursor) throws SQLException {
    List<String> ids = expiredOperations(sql, cutoff);
    long highest = 0;
    int events = 0;
    if (!ids.isEmpty()) {
      highest = highestSeqOf(sql, ids);
      events += deleteByOperation(sql, "DELETE FROM operation_events WHERE operation_id = ?", ids);
      deleteByOperation(sql, "DELETE FROM operation_hosts WHERE operation_id = ?", ids);
      deleteByOperation(sql, "DELETE FROM operations WHERE id = ?", ids);
    }
    long next = SCANNED;
    if (cursor != SCANNED) {
      Observed old = oldObservedEvents(sql, cutoff, cursor);
      events += deleteBySeq(sql, old.seqs());
      for (long seq : old.seqs()) {
        highest = Math.max(highest, seq);
      }
      next = old.next();
    }
    if (highest > 0) {
      PreparedStatement mark =
          sql.sql(
              "UPDATE journal_retention SET pruned_through = ? WHERE id = 1 AND pruned_through < ?");
      mark.setLong(1, highest);
      mark.setLong(2, highest);
      mark.executeUpdate();
    }
    return new Batch(ids.size(), events, highest, ids.size() == retention.batchSize(), next);
  }

  /**
   * The finished operations that ended first, as many as have ended before {@code cutoff} or are
   * beyond {@code max-operations}, up to a batch. In the order they ended (an index range): the
   * oldest history goes first.
   */
  private List<String> expiredOperations(JournalWriter.Statements sql, Instant cutoff)
      throws SQLException {
    long excess;
    try (ResultSet count = sql.sql("SELECT COUNT(*) FROM operations").executeQuery()) {
      count.next();
      excess = count.getLong(1) - retention.maxOperations();
    }
    PreparedStatement oldest =
        sql.sql(
            "SELECT id, finished_at FROM operations WHERE finished_at IS NOT NULL"
                + " AND phase IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
                + " ORDER BY finished_at LIMIT ?");
    oldest.setInt(1, retention.batchSize());
    List<String> ids = new ArrayList<>();
    try (ResultSet rows = oldest.executeQuery()) {
      while (rows.next()) {
        Instant finished = JdbcInstants.read(rows, 2);
        if (ids.size() >= excess && !finished.isBefore(cutoff)) {
          // ordered by end: every later one is as recent, and within the count
          break;
        }
        ids.add(rows.getString(1));
      }
    }
    return ids;
  }

  private static long highestSeqOf(JournalWriter.Statements sql, List<String> ids)
      throws SQLException {
    PreparedStatement last =
        sql.sql("SELECT MAX(seq) FROM operation_events WHERE operation_id = ?");
    long highest = 0;
    for (String id : ids) {
      last.setString(1, id);
      try (ResultSet row = last.executeQuery()) {
        if (row.next()) {
          highest = Math.max(highest, row.getLong(1));
        }
      }
    }
    return highest;
  }

  /** Runs {@code delete} for each id as one JDBC batch; returns the rows it deleted. */
  private static int deleteByOperation(
      JournalWriter.Statements sql, String delete, List<String> ids) throws SQLException {
    PreparedStatement statement = sql.sql(delete);
    for (String id : ids) {
      statement.setString(1, id);
      statement.addBatch();
    }
    return sum(statement.executeBatch());
  }

  private static int deleteBySeq(JournalWriter.Statements sql, List<Long> seqs)
      throws SQLException {
    if (seqs.isEmpty()) {
      return 0;
    }
    PreparedStatement statement = sql.sql("DELETE FROM operation_events WHERE seq = ?");
    for (long seq : seqs) {
      statement.setLong(1, seq);
      statement.addBatch();
    }
    return sum(statement.executeBatch());
  }

  /** VM and host events (no operation) older than {@code cutoff}, and where to look next. */
  private record Observed(List<Long> seqs, long next) {}

  /**
   * Walks the oldest events after {@code cursor} in seq order (the primary key: an index range) and
   * picks the VM and host events older than {@code cutoff}; stops at the first event that is not
   * (seq follows time: all after it are as recent). The events of operations met on the way are
   * left to the operations' own retention.
   */
  private Observed oldObservedEvents(JournalWriter.Statements sql, Instant cutoff, long cursor)
      throws SQLException {
    PreparedStatement oldest =
        sql.sql(
            "SELECT seq, operation_id, occurred_at FROM operation_events WHERE seq > ?"
                + " ORDER BY seq LIMIT ?");
    oldest.setLong(1, cursor);
    oldest.setInt(2, retention.batchSize());
    List<Long> seqs = new ArrayList<>();
    int seen = 0;
    long last = cursor;
    try (ResultSet rows = oldest.executeQuery()) {
      while (rows.next()) {
        Instant occurred = JdbcInstants.read(rows, 3);
        if (!occurred.isBefore(cutoff)) {
          return new Observed(seqs, SCANNED);
        }
        seen++;
        last = rows.getLong(1);
        if (rows.getString(2) == null) {
          seqs.add(last);
        }
      }
    }
    return new Observed(seqs, seen < retention.batchSize() ? SCANNED : last);
  }

  private static int sum(int[] counts) {
    int total = 0;
    for (int count : counts) {
      total += Math.max(count, 0);
    }
    return total;
  }
}
